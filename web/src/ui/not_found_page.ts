// Any path the app does not know.
import { bindText, h, tx } from "./dom";

export function createNotFoundPage(navigate: (path: string) => void): { element: HTMLElement } {
  const home = bindText(h("a", { href: "/", id: "not-found-home" }), "notfound.home");
  home.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    navigate("/");
  });
  const element = h(
    "div",
    { class: "page not-found-page", "data-page": "notfound" },
    bindText(h("h1", {}), "notfound.heading"),
    tx("notfound.text", "p"),
    h("p", {}, home),
  );
  return { element };
}
