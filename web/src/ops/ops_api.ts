// HTTP calls of the operations page. Changes and the task table (its ids open the tasks'
// results) carry the admin token as a bearer when one was entered (admin_token.ts); the rest of
// the reading needs none.
import { call, type ApiResult } from "../api";
import type { Overview, PriorsState, TaskRow } from "./protocol";

function authorization(token: string): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function fetchOverview(): Promise<ApiResult<Overview>> {
  return call<Overview>("/api/v1/ops/overview");
}

export function fetchTaskRows(status: string, query: string, token: string, limit = 100): Promise<ApiResult<{ tasks: Omit<TaskRow, "task_ref">[] }>> {
  const params = new URLSearchParams({ limit: String(limit) });
  if (status) params.set("status", status);
  if (query) params.set("q", query);
  return call<{ tasks: Omit<TaskRow, "task_ref">[] }>(`/api/v1/ops/tasks?${params}`, { headers: authorization(token) });
}

export function fetchPriors(): Promise<ApiResult<PriorsState>> {
  return call<PriorsState>("/api/v1/ops/priors");
}

export function deployPriors(csv: string, note: string, token: string): Promise<ApiResult<PriorsState>> {
  const params = note ? `?note=${encodeURIComponent(note)}` : "";
  return call<PriorsState>(`/api/v1/ops/priors${params}`, {
    method: "POST",
    headers: { "Content-Type": "text/csv", ...authorization(token) },
    body: csv,
  });
}

export function rollBackPriors(token: string): Promise<ApiResult<PriorsState>> {
  return call<PriorsState>("/api/v1/ops/priors/rollback", { method: "POST", headers: authorization(token) });
}

export function cancelTask(id: string, token: string): Promise<ApiResult<unknown>> {
  return call<unknown>(`/api/v1/tasks/${encodeURIComponent(id)}`, { method: "DELETE", headers: authorization(token) });
}

export function rerunTask(id: string, token: string): Promise<ApiResult<{ task_id: string }>> {
  return call<{ task_id: string }>(`/api/v1/tasks/${encodeURIComponent(id)}/rerun`, { method: "POST", headers: authorization(token) });
}
