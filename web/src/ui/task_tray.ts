// The task tray: one small live card per calculation of this page, newest first.
import { formatCoordinates, formatDate } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { isTerminal } from "../live/task_record";
import type { TaskStore } from "../live/task_store";
import { h } from "./dom";

/// Builds the tray; `open(id)` shows a task in the panel. Returns the element and a re-render.
export function createTaskTray(store: TaskStore, open: (id: string) => void): { element: HTMLElement; render(): void } {
  const list = h("ul", { class: "tray-list" });
  const heading = h("h2", { id: "tray-heading" });
  const empty = h("p", { class: "tray-empty" });
  const element = h("aside", { id: "task-tray", "aria-labelledby": "tray-heading" }, heading, empty, list);

  const render = (): void => {
    heading.textContent = t("tray.heading");
    const records = store.all();
    empty.textContent = t("tray.empty");
    empty.hidden = records.length > 0;
    const lang = locale();
    list.replaceChildren(
      ...records.map((record) => {
        const { latitude, longitude, start_date, end_date } = record.request;
        const progress = Math.round(record.progress);
        const background = record.status !== "restoring" && !isTerminal(record.status) && record.connection === "polling";
        return h(
          "li",
          { class: "tray-card", "data-task-id": record.id, "data-status": record.status },
          h(
            "div",
            { class: "tray-card-top" },
            h("span", { class: "tray-place" }, formatCoordinates(lang, latitude, longitude)),
            h("span", { class: "badge", "data-status": record.status }, t(`status.${record.status}` as MessageKey)),
          ),
          h("p", { class: "tray-period" }, `${formatDate(lang, start_date)} – ${formatDate(lang, end_date)}`),
          h(
            "div",
            {
              class: "progressbar small",
              role: "progressbar",
              "aria-valuemin": 0,
              "aria-valuemax": 100,
              "aria-valuenow": progress,
              "aria-label": t("progress.label"),
            },
            h("div", { class: "progressbar-fill", style: `width:${progress}%` }),
          ),
          h(
            "div",
            { class: "tray-card-bottom" },
            h("span", { class: "tray-note" }, background ? t("tray.background") : `${progress}%`),
            h("button", { type: "button", class: "link tray-open", onclick: () => open(record.id) }, t("task.open")),
            h("button", { type: "button", class: "link tray-remove", onclick: () => store.remove(record.id) }, t("task.remove")),
          ),
        );
      }),
    );
  };
  render();
  return { element, render };
}
