// The tasks table (as Flower's or Sidekiq's): state filter, search by id or place, duration,
// attempt, node; cancel a running task, re-run a finished one. Rows come from
// GET /api/v1/ops/tasks (the admin's: it lists task ids) and are kept fresh by the channel's
// calculation events, which name a task by its task_ref only.
import { formatCoordinates, formatDate } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { bindText, h } from "../ui/dom";
import { cancelTask, fetchTaskRows, rerunTask } from "./ops_api";
import { formatDuration } from "./ops_format";
import type { OpsStore } from "./ops_store";
import type { TaskRow } from "./protocol";

const kStates = ["queued", "processing", "success", "error", "timeout", "cancelled"];
const kTerminal = new Set(["success", "error", "timeout", "cancelled"]);

export interface TasksView {
  element: HTMLElement;
  render(): void;
  reload(): Promise<void>;
  /// Drops the last action's message (said in the previous language).
  clearFeedback(): void;
}

export function createTasksView(store: OpsStore, token: () => string): TasksView {
  const status = h("select", { id: "ops-task-status" }, bindText(h("option", { value: "" }), "ops.tasks.all"), ...kStates.map((s) => bindText(h("option", { value: s }), `status.${s}` as MessageKey)));
  const search = h("input", { id: "ops-task-search", type: "search", autocomplete: "off" });
  const feedback = h("p", { id: "ops-tasks-feedback", "aria-live": "polite" });
  const say = (text: string, ok: boolean): void => {
    feedback.textContent = text;
    feedback.className = ok ? "form-ok" : "form-error";
  };
  const body = h("tbody", {});
  const table = h(
    "table",
    { class: "ops-table", id: "ops-tasks-table" },
    h("thead", {}, h("tr", {}, ...(["ops.tasks.id", "ops.tasks.status", "ops.tasks.place", "ops.tasks.period", "ops.tasks.step", "ops.tasks.duration", "ops.tasks.attempt", "ops.tasks.node", "ops.tasks.actions"] as MessageKey[]).map((key) => bindText(h("th", { scope: "col" }), key)))),
    body,
  );

  const matches = (row: TaskRow): boolean => {
    if (status.value && row.status !== status.value) return false;
    const query = search.value.trim();
    if (!query) return true;
    if (row.task_ref.startsWith(query) || row.task_id.startsWith(query)) return true;
    const place = row.latitude !== null && row.longitude !== null ? `${row.latitude}, ${row.longitude}` : "";
    return place.includes(query);
  };

  const act = async (row: TaskRow, action: "cancel" | "rerun"): Promise<void> => {
    say("", true);
    const result = action === "cancel" ? await cancelTask(row.task_id, token()) : await rerunTask(row.task_id, token());
    if (!result.ok) {
      say(t("ops.tasks.refused", { reason: result.message }), false);
      return;
    }
    if (action === "rerun") {
      const id = (result.value as { task_id: string }).task_id;
      say(t("ops.tasks.rerun_done", { id: id.slice(0, 8) }), true);
      await view.reload();
    } else {
      say(t("ops.tasks.cancel_done", { id: row.task_id.slice(0, 8) }), true);
    }
  };

  const render = (): void => {
    const lang = locale();
    const rows = [...store.tasks.values()].filter(matches).sort((a, b) => b.created_at.localeCompare(a.created_at)).slice(0, 100);
    if (rows.length === 0) {
      body.replaceChildren(h("tr", {}, h("td", { colspan: 9, class: "muted" }, t("ops.tasks.none"))));
      return;
    }
    body.replaceChildren(
      ...rows.map((row) => {
        const place = row.latitude !== null && row.longitude !== null ? formatCoordinates(lang, row.latitude, row.longitude) : "—";
        const period = row.start_date && row.end_date ? `${formatDate(lang, row.start_date)} – ${formatDate(lang, row.end_date)}` : "—";
        const step =
          row.status === "processing" && row.step
            ? `${t(`step.${row.step}` as MessageKey)} (${row.progress} %)`
            : row.error_code && row.status !== "cancelled"
              ? h("code", {}, row.error_code)
              : "—";
        const actions = h("td", { class: "actions" });
        if (!row.task_id) {
          // Seen on the channel only: its id comes with the next reading of the table.
        } else if (!kTerminal.has(row.status)) {
          actions.append(h("button", { type: "button", class: "secondary", "data-action": "cancel", onclick: () => void act(row, "cancel") }, t("ops.tasks.cancel")));
        } else {
          actions.append(h("button", { type: "button", class: "secondary", "data-action": "rerun", onclick: () => void act(row, "rerun") }, t("ops.tasks.rerun")));
        }
        return h(
          "tr",
          { "data-task-ref": row.task_ref, "data-status": row.status },
          h("td", { class: "mono", title: row.task_id || row.task_ref }, row.task_ref.slice(0, 8)),
          h("td", {}, h("span", { class: "badge", "data-status": row.status }, t(`status.${row.status}` as MessageKey))),
          h("td", {}, place),
          h("td", {}, period),
          h("td", { "data-step": row.step }, step),
          h("td", {}, formatDuration(lang, row.started_at, row.finished_at)),
          h("td", {}, String(row.attempts || 1)),
          h("td", {}, row.node ?? "—"),
          actions,
        );
      }),
    );
  };

  let pending: ReturnType<typeof setTimeout> | null = null;
  const view: TasksView = {
    element: h(
      "section",
      { class: "ops-card wide", id: "ops-tasks", "aria-labelledby": "ops-tasks-heading" },
      bindText(h("h2", { id: "ops-tasks-heading" }), "ops.tasks.title"),
      h("div", { class: "filters" }, h("label", { class: "field" }, bindText(h("span", {}), "ops.tasks.status"), status), h("label", { class: "field grow" }, bindText(h("span", {}), "ops.tasks.search"), search)),
      feedback,
      h("div", { class: "table-scroll", tabindex: 0, role: "group", "aria-labelledby": "ops-tasks-heading" }, table),
    ),
    render,
    clearFeedback: () => say("", true),
    async reload() {
      const result = await fetchTaskRows(status.value, search.value.trim(), token());
      if (result.ok) {
        store.setTasks(result.value.tasks);
      } else if (result.status === 403) {
        say(t("ops.tasks.needs_token"), false);
      }
    },
  };
  status.addEventListener("change", () => void view.reload());
  search.addEventListener("input", () => {
    render();
    if (pending !== null) clearTimeout(pending);
    pending = setTimeout(() => void view.reload(), 300);
  });
  return view;
}
