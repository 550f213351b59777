// The task tray: one small live card per calculation of this page, newest first: where, which
// period and mode, its state, and the total ETo once done.
import { formatCoordinates, formatDate, formatNumber } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { isTerminal, type TaskRecord } from "../live/task_record";
import type { TaskStore } from "../live/task_store";
import { summarise } from "../results_table";
import { h } from "./dom";

/// "Recent · 7 days", "Historical", "Forecast".
export function modeText(record: TaskRecord): string {
  const { mode, start_date, end_date } = record.request;
  if (mode === "recent") {
    const days = Math.round((Date.parse(end_date) - Date.parse(start_date)) / 86_400_000) + 1;
    return t("tray.mode_recent", { days });
  }
  return t(`tray.mode_${mode ?? "historical"}` as MessageKey);
}

function note(record: TaskRecord): string {
  switch (record.status) {
    case "restoring":
      return t("status.restoring");
    case "queued":
      return t("tray.queued");
    case "processing":
      return record.connection === "polling" ? t("tray.background") : `${Math.round(record.progress)}%`;
    case "success": {
      const total = record.result ? summarise(record.result.results).total_eto_mm : null;
      return total === null ? t("status.success") : t("tray.total", { value: formatNumber(locale(), total, 1) });
    }
    default:
      return t(`status.${record.status}` as MessageKey);
  }
}

// The bar's width through the CSSOM: a style attribute would need 'unsafe-inline' in the CSP.
function fill(progress: number): HTMLElement {
  const bar = h("div", { class: "progressbar-fill" });
  bar.style.width = `${progress}%`;
  return bar;
}

/// Builds the tray; `open(id, opener)` shows a task. Returns the element and a re-render.
export function createTaskTray(
  store: TaskStore,
  open: (id: string, opener: () => HTMLElement | null) => void,
): { element: HTMLElement; render(): void } {
  const list = h("ul", { class: "tray-list" });
  const heading = h("h2", { id: "tray-heading" });
  const empty = h("p", { class: "tray-empty" });
  const element = h("section", { id: "task-tray", "aria-labelledby": "tray-heading" }, heading, empty, list);

  const render = (): void => {
    heading.textContent = t("tray.heading");
    const records = store.all();
    empty.textContent = t("tray.empty");
    empty.hidden = records.length > 0;
    const lang = locale();
    list.replaceChildren(
      ...records.map((record) => {
        const { latitude, longitude, start_date, end_date } = record.request;
        const progress = isTerminal(record.status) ? 100 : Math.round(record.progress);
        const opener = (): HTMLElement | null =>
          document.querySelector<HTMLElement>(`.tray-card[data-task-id="${record.id}"] .tray-open`);
        return h(
          "li",
          { class: "tray-card", "data-task-id": record.id, "data-status": record.status },
          h(
            "div",
            { class: "tray-card-top" },
            h("span", { class: "tray-place", title: formatCoordinates(lang, latitude, longitude) }, record.place_name || formatCoordinates(lang, latitude, longitude)),
            h("span", { class: "badge", "data-status": record.status }, t(`status.${record.status}` as MessageKey)),
          ),
          h(
            "p",
            { class: "tray-period" },
            h("span", { class: "tray-dates" }, `${formatDate(lang, start_date)} – ${formatDate(lang, end_date)}`),
            " · ",
            h("span", { class: "tray-mode" }, modeText(record)),
          ),
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
            fill(progress),
          ),
          h(
            "div",
            { class: "tray-card-bottom" },
            h("span", { class: "tray-note" }, note(record)),
            h("button", { type: "button", class: "link tray-open", onclick: () => open(record.id, opener) }, t("task.open")),
            h("button", { type: "button", class: "link tray-remove", onclick: () => store.remove(record.id) }, t("task.remove")),
          ),
        );
      }),
    );
  };
  render();
  return { element, render };
}
