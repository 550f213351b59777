// HTTP calls to `evapo serve`. Every function resolves to a tagged result and never throws,
// except that an aborted call (AbortSignal) rejects with its AbortError.
import type { CalculationRequest, Place, TaskSnapshot } from "./protocol";

export interface FieldError {
  field: string;
  reason: string;
}

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: number; code: string; message: string; details: FieldError[] };

export interface Accepted {
  task_id: string;
  status: string;
  message?: string;
  /// The capability to cancel this task (sent back as a bearer token); shown only once.
  cancel_token?: string;
  links?: Record<string, string>;
}

const kCancelTokensKey = "evapo.cancel_tokens.v1";
const kCancelTokensLimit = 20;

/// Cancel tokens by task id, newest last, kept across reloads like the tray's tasks.
function readCancelTokens(): [string, string][] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(kCancelTokensKey) ?? "[]");
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (entry): entry is [string, string] =>
        Array.isArray(entry) && typeof entry[0] === "string" && typeof entry[1] === "string",
    );
  } catch {
    return [];
  }
}

function rememberCancelToken(taskId: string, token: string): void {
  const kept = readCancelTokens().filter(([id]) => id !== taskId);
  kept.push([taskId, token]);
  try {
    window.localStorage.setItem(kCancelTokensKey, JSON.stringify(kept.slice(-kCancelTokensLimit)));
  } catch {
    // Storage refused (private mode): the task can still be cancelled until the page reloads.
    sessionTokens.set(taskId, token);
  }
}

const sessionTokens = new Map<string, string>();

function cancelTokenOf(taskId: string): string | undefined {
  return sessionTokens.get(taskId) ?? readCancelTokens().find(([id]) => id === taskId)?.[1];
}

/// fetch() as a tagged result: the JSON body when 2xx, else the API error body's message and details.
export async function call<T>(input: string, init?: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(input, init);
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    return { ok: false, status: 0, code: "network", message: String(error), details: [] };
  }
  let body: unknown = null;
  const text = await response.text().catch(() => "");
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (response.ok) return { ok: true, value: body as T };
  const error = (body as { error?: { code?: string; message?: string; details?: FieldError[] } } | null)?.error;
  return {
    ok: false,
    status: response.status,
    code: typeof error?.code === "string" ? error.code : `HTTP_${response.status}`,
    message: error?.message ?? `HTTP ${response.status}`,
    details: Array.isArray(error?.details) ? error.details : [],
  };
}

/// POST /api/v1/eto/calculations → 202 {task_id, ...}.
export async function submitCalculation(request: CalculationRequest): Promise<ApiResult<Accepted>> {
  const result = await call<Accepted>("/api/v1/eto/calculations", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(request),
  });
  if (result.ok && result.value?.task_id && result.value.cancel_token) {
    rememberCancelToken(result.value.task_id, result.value.cancel_token);
  }
  return result;
}

/// GET /api/v1/tasks/{id}.
export function fetchTask(taskId: string): Promise<ApiResult<TaskSnapshot>> {
  return call<TaskSnapshot>(`/api/v1/tasks/${encodeURIComponent(taskId)}`);
}

/// DELETE /api/v1/tasks/{id} (cancel), with the task's cancel token from its submission.
export function cancelTask(taskId: string): Promise<ApiResult<unknown>> {
  const token = cancelTokenOf(taskId);
  return call<unknown>(`/api/v1/tasks/${encodeURIComponent(taskId)}`, {
    method: "DELETE",
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
}

/// What the server offers, from its OpenAPI document (asked once; calling an endpoint that does
/// not exist would put a 404 in the browser console): its version and optional endpoints.
export interface ServerInfo {
  version: string;
  elevation: boolean;
  placeSearch: boolean;
}

export async function serverInfo(): Promise<ServerInfo> {
  const result = await call<{ info?: { version?: string }; paths?: Record<string, unknown> }>("/openapi.json");
  const paths = result.ok && typeof result.value?.paths === "object" ? (result.value.paths ?? {}) : {};
  return {
    version: result.ok ? String(result.value?.info?.version ?? "") : "",
    elevation: "/api/v1/elevation" in paths,
    placeSearch: "/api/v1/geocoding/search" in paths,
  };
}

/// GET /api/v1/geocoding/search: places named like `name`, names in `language` ("en", "pt").
export async function searchPlaces(name: string, language: string, signal?: AbortSignal): Promise<ApiResult<Place[]>> {
  const query = new URLSearchParams({ name, language, count: "8" });
  const result = await call<{ results?: Place[] }>(`/api/v1/geocoding/search?${query}`, { signal });
  if (!result.ok) return result;
  return { ok: true, value: Array.isArray(result.value?.results) ? result.value.results : [] };
}

/// GET /api/v1/elevation?latitude=&longitude= → metres, or null when the server has no answer.
export async function fetchElevation(latitude: number, longitude: number): Promise<number | null> {
  const result = await call<{ elevation_m?: number }>(
    `/api/v1/elevation?latitude=${latitude}&longitude=${longitude}`,
  );
  if (!result.ok || typeof result.value?.elevation_m !== "number") return null;
  return result.value.elevation_m;
}

/// ws:// or wss:// URL of the task's progress socket, resuming after `sinceSeq` when > 0.
export function taskSocketUrl(taskId: string, sinceSeq: number, base: Location = window.location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  const since = sinceSeq > 0 ? `?since=${sinceSeq}` : "";
  return `${scheme}//${base.host}/ws/task_status/${encodeURIComponent(taskId)}${since}`;
}
