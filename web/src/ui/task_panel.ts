// The live card of one calculation (in the modal on the map page, inline on the period page):
// location, status badge, progress bar, "Step N/M: label", per-source status, elapsed clock,
// connection state, then the results, or the reason and a retry button.
import { formatCoordinates, formatDate, splitElapsed } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import type { TaskRecord } from "../live/task_record";
import { isTerminal } from "../live/task_record";
import type { TaskStore } from "../live/task_store";
import { h } from "./dom";
import { renderResults } from "./results_view";

export interface TaskPanelActions {
  retry(record: TaskRecord): void;
  cancel(record: TaskRecord): void;
  /// The task shown changed (null: none), e.g. so it can be shown again after a reload.
  shownChanged(taskId: string | null): void;
  /// "Monitor this point": a monitored site at the task's point (sites page).
  monitor?(record: TaskRecord): void;
}

/// Elapsed time text for `seconds`.
export function elapsedText(seconds: number): string {
  const { m, s } = splitElapsed(seconds);
  return m > 0 ? t("time.minutes", { m, s: String(s).padStart(2, "0") }) : t("time.seconds", { s });
}

/// Step label: the translated stable step key, else the server's message.
export function stepLabel(record: TaskRecord): string {
  if (!record.step) return t("progress.waiting");
  const key = `step.${record.step}` as MessageKey;
  const label = t(key);
  return label === key ? record.step_message || record.step : label;
}

export class TaskPanel {
  readonly element: HTMLElement;
  private readonly store: TaskStore;
  private readonly actions: TaskPanelActions;
  private taskId: string | null = null;
  private release: (() => void) | null = null;
  private unsubscribe: (() => void) | null = null;
  private clock: ReturnType<typeof setInterval> | null = null;
  private disposeResults: (() => void) | null = null;
  private renderedResultFor: { result: unknown; locale: string } | null = null;

  private readonly place = h("p", { class: "task-place" });
  private readonly badge = h("span", { id: "status-badge", class: "badge", role: "status" });
  private readonly bar = h("div", {
    class: "progressbar",
    role: "progressbar",
    "aria-valuemin": 0,
    "aria-valuemax": 100,
    "aria-valuenow": 0,
  });
  private readonly barFill = h("div", { class: "progressbar-fill" });
  private readonly stepLine = h("p", { id: "progress-step", class: "step-line" });
  private readonly connection = h("p", { id: "connection-state", class: "connection", "aria-live": "polite" });
  private readonly elapsed = h("p", { id: "elapsed-clock", class: "elapsed" });
  private readonly sourcesHeading = h("h3", { class: "sources-heading" });
  private readonly sourcesList = h("ul", { id: "source-status", class: "source-status" });
  private readonly errorBox = h("div", { id: "task-error", class: "task-error", role: "alert", hidden: true });
  private readonly buttons = h("div", { class: "task-buttons" });
  private readonly results = h("div", { id: "results", class: "results" });

  constructor(store: TaskStore, actions: TaskPanelActions) {
    this.store = store;
    this.actions = actions;
    this.bar.append(this.barFill);
    this.element = h(
      "section",
      { class: "task-panel", "aria-live": "off" },
      h("div", { class: "task-header" }, this.place, this.badge),
      this.bar,
      h("div", { class: "task-meta" }, this.stepLine, this.elapsed),
      this.connection,
      this.sourcesHeading,
      this.sourcesList,
      this.errorBox,
      this.buttons,
      this.results,
    );
  }

  /// The task shown, or null.
  get shownTaskId(): string | null {
    return this.taskId;
  }

  /// Shows task `id` and watches it (WebSocket) until `hide()`.
  show(id: string): void {
    if (this.taskId === id) return;
    this.hide();
    this.taskId = id;
    this.element.dataset.taskId = id;
    this.release = this.store.watch(id);
    this.unsubscribe = this.store.subscribe((changed) => {
      if (changed === this.taskId) this.render();
    });
    this.clock = setInterval(() => this.renderElapsed(), 1000);
    this.render();
    this.actions.shownChanged(id);
  }

  /// Stops watching (the WebSocket closes; the task goes on and stays in the tray).
  hide(): void {
    this.release?.();
    this.unsubscribe?.();
    if (this.clock !== null) clearInterval(this.clock);
    this.disposeResults?.();
    this.release = this.unsubscribe = this.disposeResults = null;
    this.clock = null;
    this.renderedResultFor = null;
    const wasShown = this.taskId !== null;
    this.taskId = null;
    delete this.element.dataset.taskId;
    this.results.replaceChildren();
    if (wasShown) this.actions.shownChanged(null);
  }

  /// Re-renders in the active language.
  translate(): void {
    this.renderedResultFor = null;
    this.render();
  }

  private record(): TaskRecord | undefined {
    return this.taskId ? this.store.get(this.taskId) : undefined;
  }

  private renderElapsed(): void {
    const record = this.record();
    if (!record) return;
    const end = record.finished_at_ms ?? Date.now();
    this.elapsed.textContent = t("progress.elapsed", { time: elapsedText((end - record.started_at_ms) / 1000) });
  }

  private render(): void {
    const record = this.record();
    if (!record) return;
    const lang = locale();
    const req = record.request;
    this.place.textContent = `${t("modal.location")}: ${formatCoordinates(lang, req.latitude, req.longitude)} · ${t(
      "modal.period",
    )}: ${formatDate(lang, req.start_date)} – ${formatDate(lang, req.end_date)}`;
    this.badge.dataset.status = record.status;
    this.element.dataset.status = record.status;
    this.badge.textContent = t(`status.${record.status}` as MessageKey);
    const progress = Math.round(record.progress);
    this.bar.setAttribute("aria-valuenow", String(progress));
    this.bar.setAttribute("aria-label", t("progress.label"));
    this.bar.setAttribute("aria-valuetext", `${progress}%`);
    this.barFill.style.width = `${progress}%`;
    const terminal = isTerminal(record.status);
    // A task restored after it ended knows no step number (the snapshot has none): say nothing.
    this.stepLine.textContent =
      record.current_step > 0
        ? t("progress.step", { current: record.current_step, total: record.total_steps, label: stepLabel(record) })
        : terminal
          ? ""
          : t("progress.waiting");
    this.renderElapsed();
    this.connection.dataset.state = terminal ? "closed" : record.connection;
    this.connection.textContent = terminal ? "" : t(`conn.${record.connection}` as MessageKey);
    this.connection.hidden = terminal;

    this.sourcesHeading.textContent = t("progress.sources");
    this.sourcesHeading.hidden = record.sources.length === 0;
    this.sourcesList.replaceChildren(
      ...record.sources.map((s) =>
        h(
          "li",
          { "data-source": s.source, "data-state": s.state },
          h("span", { class: "source-name" }, t(`source.${s.source}` as MessageKey)),
          h("span", { class: "source-state" }, t(`source_state.${s.state}` as MessageKey)),
          s.message && s.state === "failed" ? h("span", { class: "source-message" }, s.message) : null,
        ),
      ),
    );

    this.errorBox.hidden = !(record.status === "error" || record.status === "timeout" || record.status === "cancelled");
    if (!this.errorBox.hidden) {
      const reason =
        record.status === "timeout"
          ? t("task.timeout_reason")
          : record.status === "cancelled"
            ? t("task.cancelled_reason")
            : t("task.error_reason", { message: record.error_message || record.error_code || t("error.unknown") });
      this.errorBox.textContent = reason;
    }
    const buttons: HTMLElement[] = [];
    if (!terminal) {
      buttons.push(h("button", { type: "button", class: "secondary", id: "cancel-task-btn", onclick: () => this.actions.cancel(record) }, t("task.cancel")));
    } else if (record.status !== "success") {
      buttons.push(h("button", { type: "button", id: "retry-btn", onclick: () => this.actions.retry(record) }, t("task.retry")));
    }
    if (record.status === "success" && this.actions.monitor) {
      const monitor = this.actions.monitor;
      buttons.push(h("button", { type: "button", class: "secondary", id: "monitor-point-btn", onclick: () => monitor(record) }, t("sites.monitor_point")));
    }
    this.buttons.replaceChildren(...buttons);

    if (record.status === "success" && record.result) {
      const key = { result: record.result, locale: lang };
      if (!this.renderedResultFor || this.renderedResultFor.result !== key.result || this.renderedResultFor.locale !== key.locale) {
        this.disposeResults?.();
        this.disposeResults = renderResults(this.results, record.result, req);
        this.renderedResultFor = key;
      }
    } else if (this.renderedResultFor) {
      this.disposeResults?.();
      this.disposeResults = null;
      this.renderedResultFor = null;
      this.results.replaceChildren();
    }
  }
}
