// The /ops route's host: the operations page's code is a separate chunk, fetched the first time
// the route is shown, so the map page does not pay for it. Its socket runs only while shown.
import { h } from "../ui/dom";
import type { OpsPage } from "./ops_page";

export interface LazyOpsPage {
  element: HTMLElement;
  show(visible: boolean): void;
  translate(): void;
}

export function createLazyOpsPage(): LazyOpsPage {
  const element = h("div", { class: "page", id: "ops-host", hidden: true });
  let page: OpsPage | null = null;
  let loading: Promise<OpsPage> | null = null;
  let visible = false;
  const load = (): Promise<OpsPage> =>
    (loading ??= import("./ops_page").then(({ createOpsPage }) => {
      page = createOpsPage();
      element.append(page.element);
      return page;
    }));
  return {
    element,
    show(next) {
      visible = next;
      element.hidden = !next;
      if (!next) {
        page?.deactivate();
        return;
      }
      void load().then((loaded) => {
        if (visible) loaded.activate();
      });
    },
    translate() {
      page?.translate();
    },
  };
}
