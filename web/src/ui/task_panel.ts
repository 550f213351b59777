// The live card of one calculation (in the modal on the map page, inline on the period page):
// place and period, a status badge, the progress bar, one line that says where the task is
// (queued / step k of 7 / done in N s / cancelled at step k / failed at step k), each source's
// state, the connection, then the results, or one plain cause with its details folded below and
// Retry only when retrying can help.
import { formatCoordinates, formatDate, splitElapsed } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { elapsedSeconds, isTerminal, type TaskRecord } from "../live/task_record";
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
  /// The server's version, for the downloads' metadata.
  version(): string;
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

/// What can be done about an error: its plain cause, and whether running it again may help.
export function errorCause(record: TaskRecord): { cause: MessageKey; retry: boolean } {
  if (record.status === "timeout") return { cause: "cause.timeout", retry: true };
  if (record.status === "cancelled") return { cause: "cause.cancelled", retry: false };
  switch (record.error_code) {
    case "unavailable":
      return { cause: "cause.unavailable", retry: true };
    case "upstream":
      return { cause: "cause.upstream", retry: true };
    case "timeout":
      return { cause: "cause.timeout", retry: true };
    case "invalid_argument":
      return { cause: "cause.invalid", retry: false };
    case "not_found":
      return { cause: "cause.not_found", retry: true };
    case "cancelled":
      return { cause: "cause.cancelled", retry: false };
    default:
      return { cause: "cause.internal", retry: true };
  }
}

/// The one line that says where the task is, true to its state.
export function statusLine(record: TaskRecord, nowMs: number): string {
  const at = (key: MessageKey): string =>
    record.current_step > 0
      ? t(key, { current: record.current_step, total: record.total_steps, label: stepLabel(record) })
      : "";
  const seconds = elapsedSeconds(record, nowMs);
  switch (record.status) {
    case "restoring":
      return t("progress.checking");
    case "queued":
      return t("progress.queued");
    case "processing":
      return record.current_step > 0 ? at("progress.step") : t("progress.waiting");
    case "success":
      return seconds === null ? t("progress.done") : t("progress.done_in", { time: elapsedText(seconds) });
    case "cancelled":
      return at("progress.cancelled_at") || t("progress.cancelled");
    case "timeout":
      return at("progress.timeout_at") || t("progress.timeout");
    case "error":
      return at("progress.failed_at") || t("progress.failed");
  }
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
  private readonly sourcesHeading = h("h2", { class: "sources-heading" });
  private readonly sourcesList = h("ul", { id: "source-status", class: "source-status" });
  private readonly errorCause = h("p", { id: "task-error-cause", class: "task-error-cause" });
  private readonly errorDetails = h("details", { id: "task-error-details", class: "task-error-details" });
  private readonly errorBox = h("div", { id: "task-error", class: "task-error", role: "alert", hidden: true });
  private readonly buttons = h("div", { class: "task-buttons" });
  private readonly results = h("div", { id: "results", class: "results" });

  constructor(store: TaskStore, actions: TaskPanelActions) {
    this.store = store;
    this.actions = actions;
    this.bar.append(this.barFill);
    this.errorBox.append(this.errorCause, this.errorDetails);
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
    this.clock = setInterval(() => this.renderTime(), 1000);
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

  private renderTime(): void {
    const record = this.record();
    if (!record) return;
    const now = Date.now();
    this.stepLine.textContent = statusLine(record, now);
    const seconds = elapsedSeconds(record, now);
    // A finished task says its time in the status line; a running one counts here.
    this.elapsed.hidden = isTerminal(record.status) || seconds === null;
    this.elapsed.textContent = seconds === null ? "" : t("progress.elapsed", { time: elapsedText(seconds) });
  }

  private render(): void {
    const record = this.record();
    if (!record) return;
    const lang = locale();
    const req = record.request;
    const where = `${record.place_name ? `${record.place_name} · ` : ""}${formatCoordinates(lang, req.latitude, req.longitude)}`;
    this.place.textContent = `${t("modal.location")}: ${where} · ${t(
      "modal.period",
    )}: ${formatDate(lang, req.start_date)} – ${formatDate(lang, req.end_date)}`;
    this.badge.dataset.status = record.status;
    this.element.dataset.status = record.status;
    this.badge.textContent = t(`status.${record.status}` as MessageKey);
    const terminal = isTerminal(record.status);
    // An ended task's bar is full: green done, red failed, grey cancelled; never stuck half-way.
    const progress = terminal ? 100 : Math.round(record.progress);
    this.bar.setAttribute("aria-valuenow", String(progress));
    this.bar.setAttribute("aria-label", t("progress.label"));
    this.bar.setAttribute("aria-valuetext", terminal ? t(`status.${record.status}` as MessageKey) : `${progress}%`);
    this.barFill.style.width = `${progress}%`;
    this.renderTime();
    this.connection.dataset.state = terminal ? "closed" : record.connection;
    this.connection.textContent = terminal ? "" : t(`conn.${record.connection}` as MessageKey);
    this.connection.hidden = terminal;

    this.sourcesHeading.textContent = t("progress.sources");
    const sources = record.sources.filter((s) => s.state !== "pending" || !terminal);
    this.sourcesHeading.hidden = sources.length === 0 || record.status === "success" || record.status === "cancelled";
    this.sourcesList.hidden = this.sourcesHeading.hidden;
    this.sourcesList.replaceChildren(
      ...sources.map((s) =>
        h(
          "li",
          { "data-source": s.source, "data-state": s.state },
          h("span", { class: "source-name" }, t(`source.${s.source}` as MessageKey)),
          h("span", { class: "source-state" }, t(`source_state.${s.state}` as MessageKey)),
        ),
      ),
    );

    const failed = record.status === "error" || record.status === "timeout" || record.status === "cancelled";
    this.errorBox.hidden = !failed;
    const { cause, retry } = errorCause(record);
    if (failed) {
      this.errorCause.textContent = t(cause);
      const details = [record.error_message, ...record.sources.filter((s) => s.state === "failed" && s.message).map((s) => `${t(`source.${s.source}` as MessageKey)}: ${s.message}`)].filter(
        (text, i, all) => text && all.indexOf(text) === i,
      );
      this.errorDetails.hidden = details.length === 0 || record.status === "cancelled";
      this.errorDetails.replaceChildren(h("summary", {}, t("task.details")), ...details.map((text) => h("p", {}, text)));
    }
    const buttons: HTMLElement[] = [];
    if (!terminal && record.status !== "restoring") {
      buttons.push(h("button", { type: "button", class: "secondary", id: "cancel-task-btn", onclick: () => this.actions.cancel(record) }, t("task.cancel")));
    } else if (failed && retry) {
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
        this.disposeResults = renderResults(this.results, record.result, {
          request: req,
          placeName: record.place_name || undefined,
          version: this.actions.version(),
        });
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
