import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TaskEvent } from "../protocol";
import { backoffDelayMs } from "./backoff";
import { TaskConnection, type ConnectionState, type PollOutcome, type SocketLike } from "./task_connection";

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState = 0;
  closedByClient = false;
  constructor(readonly url: string) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  send(event: Partial<TaskEvent>): void {
    this.onmessage?.(new MessageEvent("message", { data: JSON.stringify({ task_id: "t1", ts: "", data: {}, ...event }) }));
  }
  /// The server went away (or never answered).
  drop(): void {
    this.readyState = 3;
    this.onerror?.(new Event("error"));
    this.onclose?.(new CloseEvent("close", { code: 1006 }));
  }
  close(): void {
    this.closedByClient = true;
    this.readyState = 3;
  }
}

function progress(seq: number): Partial<TaskEvent> {
  return { type: "PROGRESS", seq, data: { step: "downloading", progress: seq * 10, current_step: 3, total_steps: 7 } };
}

describe("backoff", () => {
  it("doubles from the base, is capped, and jitters within [half, full]", () => {
    const policy = { base_ms: 300, cap_ms: 5000 };
    expect(backoffDelayMs(1, policy, () => 0)).toBe(150);
    expect(backoffDelayMs(1, policy, () => 0.999999)).toBe(300);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(600);
    expect(backoffDelayMs(3, policy, () => 0.999999)).toBe(1200);
    expect(backoffDelayMs(20, policy, () => 0.999999)).toBe(5000);
    expect(backoffDelayMs(20, policy, () => 0)).toBe(2500);
  });
});

describe("TaskConnection", () => {
  let sockets: FakeSocket[];
  let events: TaskEvent[];
  let states: ConnectionState[];
  let pollResults: PollOutcome[];
  let polls: number;

  const make = (initialSeq = 0): TaskConnection =>
    new TaskConnection({
      initialSeq,
      socketUrl: (since) => `ws://x/ws/task_status/t1${since > 0 ? `?since=${since}` : ""}`,
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      poll: async () => {
        polls += 1;
        return pollResults.shift() ?? { kind: "unreachable" };
      },
      onEvent: (e) => events.push(e),
      onSnapshot: () => undefined,
      onState: (s) => states.push(s),
      random: () => 0.5,
      backoff: { base_ms: 100, cap_ms: 1000 },
      failuresBeforePolling: 2,
      pollIntervalMs: 500,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    events = [];
    states = [];
    pollResults = [];
    polls = 0;
  });
  afterEach(() => vi.useRealTimers());

  it("delivers events in order and closes after the terminal one", () => {
    const connection = make();
    connection.start();
    sockets[0].open();
    sockets[0].send(progress(1));
    sockets[0].send(progress(2));
    sockets[0].send({ type: "SUCCESS", seq: 3, data: { results: [] } });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(sockets[0].closedByClient).toBe(true);
    expect(states).toEqual(["connecting", "live", "closed"]);
    expect(connection.state).toBe("closed");
  });

  it("resumes with since=<last seq> after a drop, without duplicates or gaps", async () => {
    const connection = make();
    connection.start();
    sockets[0].open();
    sockets[0].send(progress(1));
    sockets[0].send(progress(2));
    sockets[0].drop();
    expect(connection.state).toBe("reconnecting");
    await vi.advanceTimersByTimeAsync(75); // attempt 1: ceiling 100, jitter 0.5 → 75 ms
    expect(sockets).toHaveLength(2);
    expect(sockets[1].url).toBe("ws://x/ws/task_status/t1?since=2");
    sockets[1].open();
    expect(connection.state).toBe("live");
    sockets[1].send(progress(2)); // a server replaying an already-seen event
    sockets[1].send(progress(3));
    sockets[1].send({ type: "SUCCESS", seq: 4, data: {} });
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it("backs off exponentially while the server is down, capped", async () => {
    const connection = make();
    connection.start();
    sockets[0].open();
    sockets[0].drop();
    const delays = [75, 150, 300, 600, 750, 750];
    for (const [i, delay] of delays.entries()) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sockets).toHaveLength(i + 1);
      await vi.advanceTimersByTimeAsync(1);
      expect(sockets).toHaveLength(i + 2);
      sockets[i + 1].drop();
    }
    connection.stop();
  });

  it("polls the task while the socket cannot open, and stops polling once it opens", async () => {
    const connection = make(5);
    pollResults = [{ kind: "snapshot", snapshot: { state: "running", progress: 40 } }];
    connection.start();
    expect(sockets[0].url).toContain("since=5");
    sockets[0].drop();
    expect(polls).toBe(0);
    await vi.advanceTimersByTimeAsync(75);
    sockets[1].drop(); // second failed open: polling starts
    await vi.advanceTimersByTimeAsync(0);
    expect(polls).toBe(1);
    expect(connection.state).toBe("polling");
    await vi.advanceTimersByTimeAsync(150);
    sockets[2].open();
    expect(connection.state).toBe("live");
    await vi.advanceTimersByTimeAsync(2000);
    expect(polls).toBe(1);
    connection.stop();
  });

  it("shows reconnecting when polling cannot reach the server either", async () => {
    const connection = make();
    connection.start();
    sockets[0].drop();
    await vi.advanceTimersByTimeAsync(75);
    sockets[1].drop();
    await vi.advanceTimersByTimeAsync(0);
    expect(connection.state).toBe("reconnecting");
    connection.stop();
  });

  it("stop() closes the socket and schedules nothing more", async () => {
    const connection = make();
    connection.start();
    sockets[0].open();
    connection.stop();
    expect(sockets[0].closedByClient).toBe(true);
    sockets[0].drop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sockets).toHaveLength(1);
    expect(connection.state).toBe("closed");
  });

  it("a socket still connecting is closed only once it opens", () => {
    const connection = make();
    connection.start();
    connection.stop();
    expect(sockets[0].closedByClient).toBe(false);
    sockets[0].open();
    expect(sockets[0].closedByClient).toBe(true);
    expect(events).toEqual([]);
  });

  it("ignores frames that are not task events", () => {
    const connection = make();
    connection.start();
    sockets[0].open();
    sockets[0].onmessage?.(new MessageEvent("message", { data: "not json" }));
    sockets[0].onmessage?.(new MessageEvent("message", { data: JSON.stringify({ hello: 1 }) }));
    expect(events).toEqual([]);
    connection.stop();
  });
});
