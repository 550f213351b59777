import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../api";
import type { TaskSnapshot } from "../protocol";
import type { SocketLike } from "./task_connection";
import { TaskStore } from "./task_store";

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState = 0;
  closed = false;
  constructor(readonly url: string) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  emit(type: string, seq: number, data: object = {}): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ type, seq, task_id: "a", ts: "", data }) }));
  }
  close(): void {
    this.closed = true;
  }
}

const request = { latitude: 1, longitude: 2, start_date: "2024-01-01", end_date: "2024-01-07" };

describe("TaskStore", () => {
  let sockets: FakeSocket[];
  let snapshots: TaskSnapshot[];
  let store: TaskStore;

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    snapshots = [];
    store = new TaskStore({
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      socketUrl: (id, since) => `ws://x/ws/task_status/${id}?since=${since}`,
      fetchTask: async (): Promise<ApiResult<TaskSnapshot>> => {
        const snapshot = snapshots.shift();
        return snapshot ? { ok: true, value: snapshot } : { ok: false, status: 0, code: "x", message: "down", details: [] };
      },
      now: () => 0,
    });
  });
  afterEach(() => vi.useRealTimers());

  it("a watched task gets a socket; releasing it closes the socket and polls instead", async () => {
    store.add("a", request);
    const release = store.watch("a");
    expect(sockets).toHaveLength(1);
    sockets[0].open();
    sockets[0].emit("PROGRESS", 1, { step: "validating", progress: 10, current_step: 1, total_steps: 7 });
    expect(store.get("a")).toMatchObject({ status: "processing", progress: 10, connection: "live", last_seq: 1 });
    snapshots.push({ state: "processing", progress: 60, step: "fusing" });
    release();
    expect(sockets[0].closed).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get("a")).toMatchObject({ progress: 60, step: "fusing", connection: "polling" });
    // Watching again resumes the socket after the last event seen.
    store.watch("a");
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe("ws://x/ws/task_status/a?since=1");
  });

  it("a background task polled to its end gets its result and stops polling", async () => {
    store.add("a", request);
    snapshots.push({ state: "processing", progress: 30 });
    snapshots.push({ state: "success", result: { results: [] } });
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get("a")?.status).toBe("processing");
    await vi.advanceTimersByTimeAsync(1500);
    expect(store.get("a")).toMatchObject({ status: "success", progress: 100 });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(snapshots).toHaveLength(0);
    expect(sockets).toHaveLength(0);
  });

  it("lists tasks newest first and forgets removed ones", () => {
    store.add("a", request);
    store.add("b", request);
    expect(store.all().map((r) => r.id)).toEqual(["b", "a"]);
    store.remove("a");
    expect(store.all().map((r) => r.id)).toEqual(["b"]);
  });
});

describe("TaskStore.restore (tasks of an earlier page)", () => {
  type Answer = ApiResult<TaskSnapshot>;
  let sockets: FakeSocket[];
  let answers: Map<string, Answer[]>;
  let fetched: string[];
  let store: TaskStore;
  const notFound: Answer = { ok: false, status: 404, code: "x", message: "no task", details: [] };
  const down: Answer = { ok: false, status: 0, code: "x", message: "down", details: [] };
  const snapshot = (value: TaskSnapshot): Answer => ({ ok: true, value });
  const saved = (id: string, startedAtMs = 100) => ({ id, request, started_at_ms: startedAtMs });

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    answers = new Map();
    fetched = [];
    store = new TaskStore({
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      socketUrl: (id, since) => `ws://x/ws/task_status/${id}?since=${since}`,
      fetchTask: async (id): Promise<Answer> => {
        fetched.push(id);
        return answers.get(id)?.shift() ?? down;
      },
      now: () => 5000,
    });
  });
  afterEach(() => vi.useRealTimers());

  it("lists restored tasks as saved (newest first) and checks each once", async () => {
    answers.set("new", [snapshot({ status: "queued" })]);
    answers.set("old", [snapshot({ status: "queued" })]);
    store.restore([saved("new", 200), saved("old", 100)]);
    expect(store.all().map((r) => [r.id, r.status, r.started_at_ms])).toEqual([
      ["new", "restoring", 200],
      ["old", "restoring", 100],
    ]);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetched.slice(0, 2).sort()).toEqual(["new", "old"]);
    expect(store.all().map((r) => r.status)).toEqual(["queued", "queued"]);
    // A task submitted afterwards goes on top.
    store.add("fresh", request);
    expect(store.all()[0].id).toBe("fresh");
  });

  it("a finished task gets its result and the server's finish time, with no channel left open", async () => {
    answers.set("a", [
      snapshot({ status: "success", finished_at: "1970-01-01T00:00:01.500Z", result: { results: [{ date: "2024-01-01" } as never] } }),
    ]);
    store.restore([saved("a")]);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(store.get("a")).toMatchObject({ status: "success", progress: 100, finished_at_ms: 1500 });
    expect(store.get("a")?.result?.results).toHaveLength(1);
    expect(fetched).toEqual(["a"]);
    expect(sockets).toHaveLength(0);
  });

  it("drops a task the server answers 404 for, quietly and with a notification", async () => {
    answers.set("gone", [notFound]);
    answers.set("kept", [snapshot({ status: "processing", progress: 40 })]);
    const changed: string[] = [];
    store.subscribe((id) => changed.push(id));
    store.restore([saved("gone"), saved("kept")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get("gone")).toBeUndefined();
    expect(store.all().map((r) => r.id)).toEqual(["kept"]);
    expect(changed.filter((id) => id === "gone").length).toBeGreaterThan(1);
  });

  it("drops a restored task pruned later, while a task of this page is shown as failed", async () => {
    answers.set("old", [snapshot({ status: "processing" }), notFound]);
    answers.set("new", [notFound]);
    store.restore([saved("old")]);
    store.add("new", request);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get("new")).toMatchObject({ status: "error", error_code: "not_found" });
    expect(store.get("old")?.status).toBe("processing");
    await vi.advanceTimersByTimeAsync(1500);
    expect(store.get("old")).toBeUndefined();
  });

  it("a watched running task waits for the check, then replays its events from the first", async () => {
    answers.set("a", [snapshot({ status: "processing", progress: 30, step: "downloading" })]);
    store.restore([saved("a")]);
    store.watch("a");
    expect(sockets).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(sockets.map((s) => s.url)).toEqual(["ws://x/ws/task_status/a?since=0"]);
    sockets[0].open();
    sockets[0].emit("PROGRESS", 1, { step: "validating", progress: 10, current_step: 1, total_steps: 7 });
    sockets[0].emit("PROGRESS", 2, { step: "elevation", progress: 20, current_step: 2, total_steps: 7, sources: [{ source: "nasa_power", state: "pending" }] });
    sockets[0].emit("PROGRESS", 2, { step: "elevation", progress: 20, current_step: 2, total_steps: 7 });
    sockets[0].emit("SUCCESS", 3, { results: [] });
    expect(store.get("a")).toMatchObject({ status: "success", last_seq: 3 });
    expect(store.get("a")?.sources).toHaveLength(1);
  });

  it("a restored task whose server is down keeps trying in the background", async () => {
    answers.set("a", [down, snapshot({ status: "processing", progress: 50 })]);
    store.restore([saved("a")]);
    await vi.advanceTimersByTimeAsync(0);
    expect(store.get("a")?.status).toBe("restoring");
    await vi.advanceTimersByTimeAsync(1500);
    expect(store.get("a")).toMatchObject({ status: "processing", progress: 50, connection: "polling" });
  });

  it("a task already in the store is not restored twice", () => {
    store.add("a", request);
    store.restore([saved("a")]);
    expect(store.all()).toHaveLength(1);
    expect(store.get("a")?.status).toBe("queued");
  });
});
