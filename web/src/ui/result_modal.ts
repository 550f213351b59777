// #result-modal: a <dialog> hosting the task panel on the map page. Closing it (button, Escape)
// releases the task's WebSocket (the task goes on and stays in the tray) and gives the focus
// back to what opened it. It carries its own language picker: the page behind is inert.
import { t } from "../i18n/i18n";
import { h } from "./dom";
import { createLanguageSelect } from "./language_select";
import type { TaskPanel } from "./task_panel";

export interface ResultModal {
  element: HTMLDialogElement;
  /// Shows the task; `opener` finds the element to focus on close (looked up then, since the
  /// tray redraws its buttons), else the map.
  open(taskId: string, opener?: () => HTMLElement | null): void;
  close(): void;
  isOpen(): boolean;
  translate(): void;
}

export function createResultModal(panel: TaskPanel): ResultModal {
  const title = h("h2", { id: "result-modal-title" });
  const closeButton = h("button", { id: "close-modal", type: "button", class: "icon" }, "×");
  const dialog = h(
    "dialog",
    { id: "result-modal", "aria-labelledby": "result-modal-title" },
    h("div", { class: "modal-head" }, title, createLanguageSelect("modal-language", "language modal-language"), closeButton),
  );
  const body = h("div", { class: "modal-body" });
  dialog.append(body);
  let opener: (() => HTMLElement | null) | null = null;
  const close = (): void => {
    panel.hide();
    if (dialog.open) dialog.close();
    const target = opener?.() ?? document.getElementById("map");
    opener = null;
    target?.focus();
  };
  closeButton.addEventListener("click", close);
  // Escape fires "cancel"; route it through close() so the socket is released too.
  dialog.addEventListener("cancel", (event) => {
    event.preventDefault();
    close();
  });
  const translate = (): void => {
    title.textContent = t("modal.title");
    closeButton.setAttribute("aria-label", t("modal.close"));
    closeButton.title = t("modal.close");
  };
  translate();
  return {
    element: dialog,
    open(taskId, openedBy) {
      if (panel.element.parentElement !== body) body.append(panel.element);
      if (!dialog.open) {
        opener = openedBy ?? null;
        dialog.showModal();
      } else if (openedBy) {
        opener = openedBy;
      }
      panel.show(taskId);
      closeButton.focus();
    },
    close,
    isOpen: () => dialog.open,
    translate,
  };
}
