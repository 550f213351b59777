// What the UI knows about one calculation, and the pure rules that fold server events and
// polled snapshots into it.
import type { CalculationRequest, ErrorData, ProgressData, SourceStatus, SuccessData, TaskEvent, TaskSnapshot } from "../protocol";
import { readWarning } from "../warnings";
import type { ConnectionState } from "./task_connection";

/// "restoring": brought back from an earlier page, not yet confirmed by the server.
export type TaskStatus = "restoring" | "queued" | "processing" | "success" | "error" | "timeout" | "cancelled";

export interface TaskRecord {
  id: string;
  request: CalculationRequest;
  /// The place's name when the point came from the search ("" otherwise).
  place_name: string;
  status: TaskStatus;
  progress: number;
  step: string;
  current_step: number;
  total_steps: number;
  step_message: string;
  sources: SourceStatus[];
  started_at_ms: number;
  finished_at_ms: number | null;
  /// When the server says the task was created and ended (event and snapshot times), so that a
  /// finished task shows how long it took even after a reload.
  server_started_ms: number | null;
  server_finished_ms: number | null;
  result: SuccessData | null;
  error_message: string;
  error_code: string;
  connection: ConnectionState;
  last_seq: number;
}

/// A freshly accepted task (HTTP 202).
export function newTaskRecord(id: string, request: CalculationRequest, nowMs: number, placeName = ""): TaskRecord {
  return {
    id,
    request,
    place_name: placeName,
    status: "queued",
    progress: 0,
    step: "",
    current_step: 0,
    total_steps: 7,
    step_message: "",
    sources: [],
    started_at_ms: nowMs,
    finished_at_ms: null,
    server_started_ms: null,
    server_finished_ms: null,
    result: null,
    error_message: "",
    error_code: "",
    connection: "connecting",
    last_seq: 0,
  };
}

/// A task saved by an earlier page, shown until the server says what became of it.
export function restoredTaskRecord(id: string, request: CalculationRequest, startedAtMs: number, placeName = ""): TaskRecord {
  return { ...newTaskRecord(id, request, startedAtMs, placeName), status: "restoring" };
}

/// True once the task reached its one terminal state.
export function isTerminal(status: TaskStatus): boolean {
  return status === "success" || status === "error" || status === "timeout" || status === "cancelled";
}

function errorText(data: ErrorData | string | undefined): { message: string; code: string } {
  if (typeof data === "string") return { message: data, code: "" };
  if (!data) return { message: "", code: "" };
  return { message: String(data.error ?? ""), code: String(data.error_code ?? "") };
}

function timeOf(text: unknown): number | null {
  const ms = Date.parse(String(text ?? ""));
  return Number.isFinite(ms) ? ms : null;
}

/// Seconds the task took or has taken so far, from the server's times when it gave them; null
/// when unknown (a task restored after it ended, whose start the server did not say).
export function elapsedSeconds(record: TaskRecord, nowMs: number): number | null {
  if (isTerminal(record.status)) {
    if (record.server_finished_ms !== null) {
      return record.server_started_ms !== null
        ? Math.max(0, (record.server_finished_ms - record.server_started_ms) / 1000)
        : null;
    }
    return record.finished_at_ms !== null ? Math.max(0, (record.finished_at_ms - record.started_at_ms) / 1000) : null;
  }
  if (record.status === "restoring") return null;
  return Math.max(0, (nowMs - record.started_at_ms) / 1000);
}

/// `record` after `event` (events arrive in seq order, once each).
export function applyEvent(record: TaskRecord, event: TaskEvent, nowMs: number): TaskRecord {
  const next: TaskRecord = { ...record, last_seq: Math.max(record.last_seq, event.seq) };
  if (isTerminal(record.status)) return next;
  const at = timeOf(event.ts);
  if (event.seq === 1 && at !== null) next.server_started_ms = at;
  if (event.type !== "PROGRESS" && at !== null) next.server_finished_ms = at;
  switch (event.type) {
    case "PROGRESS": {
      const data = event.data as Partial<ProgressData>;
      next.status = "processing";
      if (typeof data.progress === "number") next.progress = Math.max(0, Math.min(100, data.progress));
      if (typeof data.step === "string") next.step = data.step;
      if (typeof data.current_step === "number") next.current_step = data.current_step;
      if (typeof data.total_steps === "number" && data.total_steps > 0) next.total_steps = data.total_steps;
      next.step_message = typeof data.message === "string" ? data.message : "";
      if (Array.isArray(data.sources)) next.sources = data.sources;
      return next;
    }
    case "SUCCESS":
      next.status = "success";
      next.progress = 100;
      next.result = normaliseResult(event.data as Partial<SuccessData>);
      next.finished_at_ms = nowMs;
      return next;
    case "ERROR": {
      const { message, code } = errorText(event.data as ErrorData);
      next.status = "error";
      next.error_message = message;
      next.error_code = code;
      next.finished_at_ms = nowMs;
      return next;
    }
    case "TIMEOUT":
      next.status = "timeout";
      next.finished_at_ms = nowMs;
      return next;
    case "CANCELLED":
      next.status = "cancelled";
      next.finished_at_ms = nowMs;
      return next;
    default:
      return next;
  }
}

function normaliseResult(data: (Partial<SuccessData> & { days?: unknown }) | undefined): SuccessData {
  // The issue names the rows "results"; pipeline::to_json names them "days": accept both.
  const rows = Array.isArray(data?.results) ? data.results : Array.isArray(data?.days) ? data.days : [];
  return {
    results: rows as SuccessData["results"],
    warnings: Array.isArray(data?.warnings) ? data.warnings.map(readWarning) : [],
    location: data?.location,
  };
}

/// The task's state name from GET /api/v1/tasks/{id}, mapped onto the badge's statuses.
export function statusFromSnapshot(state: string): TaskStatus {
  const s = state.toLowerCase();
  if (s === "success" || s === "succeeded" || s === "done" || s === "completed") return "success";
  if (s === "error" || s === "failed" || s === "failure") return "error";
  if (s === "timeout" || s === "timed_out") return "timeout";
  if (s === "cancelled" || s === "canceled") return "cancelled";
  if (s === "queued" || s === "pending") return "queued";
  return "processing";
}

/// `record` after a polled snapshot (used only while the socket cannot open).
export function applySnapshot(record: TaskRecord, snapshot: TaskSnapshot, nowMs: number): TaskRecord {
  if (isTerminal(record.status)) return record;
  const status = statusFromSnapshot(String(snapshot.status ?? snapshot.state ?? ""));
  const next: TaskRecord = { ...record, status };
  next.server_started_ms = timeOf(snapshot.created_at) ?? record.server_started_ms;
  next.server_finished_ms = timeOf(snapshot.finished_at) ?? record.server_finished_ms;
  if (typeof snapshot.progress === "number") next.progress = Math.max(record.progress, snapshot.progress);
  if (typeof snapshot.step === "string") next.step = snapshot.step;
  if (typeof snapshot.current_step === "number") next.current_step = snapshot.current_step;
  if (typeof snapshot.total_steps === "number" && snapshot.total_steps > 0) next.total_steps = snapshot.total_steps;
  if (status === "success") {
    next.progress = 100;
    next.result = normaliseResult(snapshot.result);
  }
  if (status === "error") {
    const { message, code } = errorText(snapshot.error);
    next.error_message = message;
    next.error_code = code;
  }
  if (isTerminal(status)) {
    // A task restored after a reload may have finished long ago: prefer the server's time.
    const finishedMs = Date.parse(String(snapshot.finished_at ?? ""));
    next.finished_at_ms = Number.isFinite(finishedMs) ? Math.max(record.started_at_ms, finishedMs) : nowMs;
  }
  return next;
}
