// What the UI knows about one calculation, and the pure rules that fold server events and
// polled snapshots into it.
import type { CalculationRequest, ErrorData, ProgressData, SourceStatus, SuccessData, TaskEvent, TaskSnapshot } from "../protocol";
import type { ConnectionState } from "./task_connection";

/// "restoring": brought back from an earlier page, not yet confirmed by the server.
export type TaskStatus = "restoring" | "queued" | "processing" | "success" | "error" | "timeout" | "cancelled";

export interface TaskRecord {
  id: string;
  request: CalculationRequest;
  status: TaskStatus;
  progress: number;
  step: string;
  current_step: number;
  total_steps: number;
  step_message: string;
  sources: SourceStatus[];
  started_at_ms: number;
  finished_at_ms: number | null;
  result: SuccessData | null;
  error_message: string;
  error_code: string;
  connection: ConnectionState;
  last_seq: number;
}

/// A freshly accepted task (HTTP 202).
export function newTaskRecord(id: string, request: CalculationRequest, nowMs: number): TaskRecord {
  return {
    id,
    request,
    status: "queued",
    progress: 0,
    step: "",
    current_step: 0,
    total_steps: 7,
    step_message: "",
    sources: [],
    started_at_ms: nowMs,
    finished_at_ms: null,
    result: null,
    error_message: "",
    error_code: "",
    connection: "connecting",
    last_seq: 0,
  };
}

/// A task saved by an earlier page, shown until the server says what became of it.
export function restoredTaskRecord(id: string, request: CalculationRequest, startedAtMs: number): TaskRecord {
  return { ...newTaskRecord(id, request, startedAtMs), status: "restoring" };
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

/// `record` after `event` (events arrive in seq order, once each).
export function applyEvent(record: TaskRecord, event: TaskEvent, nowMs: number): TaskRecord {
  const next: TaskRecord = { ...record, last_seq: Math.max(record.last_seq, event.seq) };
  if (isTerminal(record.status)) return next;
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
    warnings: Array.isArray(data?.warnings) ? data.warnings.map(String) : [],
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
