import { describe, expect, it } from "vitest";
import {
  kSavedTasksKey,
  kSavedTasksLimit,
  parseSavedTasks,
  SavedTaskList,
  type KeyValueStorage,
  type SavedTask,
} from "./saved_tasks";

class MemoryStorage implements KeyValueStorage {
  readonly values = new Map<string, string>();
  writes = 0;
  getItem(key: string): string | null {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.writes += 1;
    this.values.set(key, value);
  }
}

const request = { latitude: -22.7, longitude: -47.6, start_date: "2024-01-01", end_date: "2024-01-07" };

function task(id: string, startedAtMs = 1000): SavedTask {
  return { id, request, started_at_ms: startedAtMs };
}

describe("saved tasks", () => {
  it("round-trips the tasks newest first, their requests and the task on screen", () => {
    const storage = new MemoryStorage();
    const full = { ...request, mode: "recent" as const, sources: ["nasa_power" as const], elevation_m: 640 };
    new SavedTaskList(storage).save([{ id: "b", request: full, started_at_ms: 2000 }, task("a")], "a");
    expect(new SavedTaskList(storage).load()).toEqual({
      tasks: [{ id: "b", request: full, started_at_ms: 2000 }, task("a")],
      shown_id: "a",
    });
  });

  it("stores ids and request only, never results or progress", () => {
    const storage = new MemoryStorage();
    const record = { ...task("a"), status: "success", result: { results: [{ date: "2024-01-01" }] }, progress: 100 };
    new SavedTaskList(storage).save([record], null);
    expect(JSON.parse(storage.getItem(kSavedTasksKey) ?? "")).toEqual({ tasks: [task("a")], shown_id: null });
  });

  it(`keeps only the ${kSavedTasksLimit} most recent tasks`, () => {
    const storage = new MemoryStorage();
    const tasks = Array.from({ length: kSavedTasksLimit + 5 }, (_, i) => task(`t${i}`));
    new SavedTaskList(storage).save(tasks, "t24");
    const loaded = new SavedTaskList(storage).load();
    expect(loaded.tasks.map((t) => t.id)).toEqual(tasks.slice(0, kSavedTasksLimit).map((t) => t.id));
    expect(loaded.shown_id).toBeNull();
    // A longer list written by someone else is cut on reading too.
    storage.setItem(kSavedTasksKey, JSON.stringify({ tasks }));
    expect(new SavedTaskList(storage).load().tasks).toHaveLength(kSavedTasksLimit);
  });

  it.each([
    ["nothing stored", null],
    ["not JSON", "{tasks: ["],
    ["JSON null", "null"],
    ["an array", "[1, 2]"],
    ["tasks not a list", '{"tasks": "a"}'],
    ["an empty string", ""],
  ])("reads %s as no tasks", (_what, text) => {
    expect(parseSavedTasks(text)).toEqual({ tasks: [], shown_id: null });
  });

  it("keeps the valid entries of a damaged value and drops the rest", () => {
    const text = JSON.stringify({
      tasks: [
        task("good"),
        null,
        "b",
        { id: "no-request", started_at_ms: 1 },
        { id: "bad lat", request: { ...request, latitude: 95 }, started_at_ms: 1 },
        { ...task("bad-date"), request: { ...request, end_date: "07/01/2024" } },
        { ...task("no-time"), started_at_ms: "yesterday" },
        { ...task("odd-id"), id: "../../etc" },
        task("good"),
        { ...task("extra"), request: { ...request, mode: "someday", sources: ["nasa_power", "ouija"], elevation_m: "high" } },
      ],
      shown_id: "missing",
    });
    const extra = { ...task("extra"), request: { ...request, sources: ["nasa_power"] } };
    expect(parseSavedTasks(text)).toEqual({ tasks: [task("good"), extra], shown_id: null });
  });

  it("ignores values stored by other versions", () => {
    const storage = new MemoryStorage();
    storage.setItem("evapo.tasks", JSON.stringify([{ id: "old" }]));
    storage.setItem("evapo.tasks.v0", JSON.stringify({ tasks: [task("old")] }));
    expect(new SavedTaskList(storage).load()).toEqual({ tasks: [], shown_id: null });
  });

  it("writes only when the list or the task on screen changed", () => {
    const storage = new MemoryStorage();
    const list = new SavedTaskList(storage);
    list.load();
    list.save([task("a")], null);
    list.save([task("a")], null);
    expect(storage.writes).toBe(1);
    list.save([task("a")], "a");
    expect(storage.writes).toBe(2);
  });

  it("never throws when storage is missing or refuses", () => {
    const refusing: KeyValueStorage = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    for (const storage of [refusing, null]) {
      const list = new SavedTaskList(storage);
      expect(list.load()).toEqual({ tasks: [], shown_id: null });
      expect(() => list.save([task("a")], "a")).not.toThrow();
    }
  });
});
