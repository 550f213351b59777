// The server refused a point over the sea: say so plainly and offer to calculate anyway.
import { t } from "../i18n/i18n";
import { h } from "./dom";

export function createSeaRefusal(anyway: () => void): {
  element: HTMLElement;
  show(): void;
  hide(): void;
  translate(): void;
} {
  const text = h("p", {});
  const button = h("button", { type: "button", id: "allow-sea-btn", class: "secondary", onclick: () => anyway() });
  const element = h("div", { id: "sea-refusal", class: "sea-refusal", role: "alert", hidden: true }, text, button);
  const translate = (): void => {
    text.textContent = t("sea.refused");
    button.textContent = t("sea.anyway");
  };
  translate();
  return {
    element,
    show() {
      element.hidden = false;
      button.focus();
    },
    hide() {
      element.hidden = true;
    },
    translate,
  };
}
