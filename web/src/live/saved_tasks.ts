// The tray's tasks remembered across a reload: their ids and what the tray needs to draw them
// (never results; the server keeps those), in localStorage under a versioned key. A stored value
// that does not read as this version is ignored, entry by entry.
import { kSourceKeys, type CalculationRequest, type Mode, type SourceKey } from "../protocol";

export const kSavedTasksKey = "evapo.tasks.v1";
/// The most recent tasks kept; older ones are forgotten by the browser (not by the server).
export const kSavedTasksLimit = 20;

export interface SavedTask {
  id: string;
  request: CalculationRequest;
  started_at_ms: number;
  /// The place's name when the point came from the search.
  place_name?: string;
}

export interface SavedTasks {
  /// Newest first, at most kSavedTasksLimit.
  tasks: SavedTask[];
  /// The task that was on screen (modal or period page), if it is among `tasks`.
  shown_id: string | null;
}

/// The part of the Web Storage API used here (a fake in tests).
export type KeyValueStorage = Pick<Storage, "getItem" | "setItem">;

const kModes: readonly Mode[] = ["historical", "recent", "forecast"];
const kIsoDate = /^\d{4}-\d{2}-\d{2}$/;
const kTaskId = /^[\w-]{1,128}$/;

/// window.localStorage, or null where the browser refuses it (some private modes throw).
export function browserStorage(): KeyValueStorage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

function readRequest(value: unknown): CalculationRequest | null {
  if (!isObject(value)) return null;
  const { latitude, longitude, start_date, end_date, mode, sources, elevation_m, allow_sea } = value;
  if (!isFiniteNumber(latitude) || Math.abs(latitude) > 90) return null;
  if (!isFiniteNumber(longitude) || Math.abs(longitude) > 180) return null;
  if (typeof start_date !== "string" || !kIsoDate.test(start_date)) return null;
  if (typeof end_date !== "string" || !kIsoDate.test(end_date)) return null;
  const request: CalculationRequest = { latitude, longitude, start_date, end_date };
  if (kModes.includes(mode as Mode)) request.mode = mode as Mode;
  if (Array.isArray(sources)) {
    request.sources = sources.filter((s): s is SourceKey => kSourceKeys.includes(s as SourceKey));
  }
  if (isFiniteNumber(elevation_m)) request.elevation_m = elevation_m;
  if (allow_sea === true) request.allow_sea = true;
  return request;
}

function readTask(value: unknown): SavedTask | null {
  if (!isObject(value)) return null;
  const { id, started_at_ms, place_name } = value;
  if (typeof id !== "string" || !kTaskId.test(id) || !isFiniteNumber(started_at_ms)) return null;
  const request = readRequest(value.request);
  if (!request) return null;
  return typeof place_name === "string" && place_name ? { id, request, started_at_ms, place_name } : { id, request, started_at_ms };
}

/// The saved tasks in `text` (a stored value); nothing for a missing, corrupt or foreign value,
/// and only the valid entries of a partly damaged one.
export function parseSavedTasks(text: string | null): SavedTasks {
  const none: SavedTasks = { tasks: [], shown_id: null };
  if (!text) return none;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return none;
  }
  if (!isObject(value) || !Array.isArray(value.tasks)) return none;
  const tasks: SavedTask[] = [];
  for (const entry of value.tasks) {
    const task = readTask(entry);
    if (task && !tasks.some((t) => t.id === task.id)) tasks.push(task);
    if (tasks.length === kSavedTasksLimit) break;
  }
  const shown = typeof value.shown_id === "string" && tasks.some((t) => t.id === value.shown_id) ? value.shown_id : null;
  return { tasks, shown_id: shown };
}

/// The stored value for `tasks` (newest first; only the first kSavedTasksLimit are kept).
export function serializeSavedTasks(tasks: readonly SavedTask[], shownId: string | null): string {
  const kept = tasks
    .slice(0, kSavedTasksLimit)
    .map(({ id, request, started_at_ms, place_name }) => (place_name ? { id, request, started_at_ms, place_name } : { id, request, started_at_ms }));
  const shown = shownId !== null && kept.some((t) => t.id === shownId) ? shownId : null;
  return JSON.stringify({ tasks: kept, shown_id: shown });
}

/// Reads and writes the saved tasks; storage errors (quota, private mode) are swallowed, since
/// losing the list on reload is better than breaking the page.
export class SavedTaskList {
  private readonly storage: KeyValueStorage | null;
  private lastText: string | null = null;

  constructor(storage: KeyValueStorage | null) {
    this.storage = storage;
  }

  load(): SavedTasks {
    try {
      this.lastText = this.storage?.getItem(kSavedTasksKey) ?? null;
    } catch {
      this.lastText = null;
    }
    return parseSavedTasks(this.lastText);
  }

  /// Stores `tasks` (newest first) and the task on screen; skips the write when nothing changed.
  save(tasks: readonly SavedTask[], shownId: string | null): void {
    const text = serializeSavedTasks(tasks, shownId);
    if (text === this.lastText || !this.storage) return;
    try {
      this.storage.setItem(kSavedTasksKey, text);
      this.lastText = text;
    } catch {
      // Quota exceeded or storage refused: the page goes on without it.
    }
  }
}
