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
        return snapshot ? { ok: true, value: snapshot } : { ok: false, status: 0, message: "down", details: [] };
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
