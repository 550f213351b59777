import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { SocketLike } from "../live/task_connection";
import { OpsConnection, opsSocketUrl, type OpsConnectionState } from "./ops_connection";
import type { OpsEvent } from "./protocol";

class FakeSocket implements SocketLike {
  onopen: ((event: Event) => void) | null = null;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onclose: ((event: CloseEvent) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  readyState = 0;
  constructor(readonly url: string) {}
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event("open"));
  }
  /// One message carrying these events, one per line.
  send(...events: Partial<OpsEvent>[]): void {
    const text = events.map((e) => JSON.stringify({ topic: "activity", ts: "", node: "n", data: {}, ...e })).join("\n");
    this.onmessage?.(new MessageEvent("message", { data: text }));
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.(new CloseEvent("close", { code: 1006 }));
  }
  close(): void {
    this.readyState = 3;
  }
}

describe("OpsConnection", () => {
  let sockets: FakeSocket[];
  let seqs: number[];
  let resets: number[];
  let states: OpsConnectionState[];
  let online: boolean;

  const make = () =>
    new OpsConnection({
      socketUrl: (since) => `ws://x/ws/events?since=${since}`,
      openSocket: (url) => {
        const socket = new FakeSocket(url);
        sockets.push(socket);
        return socket;
      },
      onEvents: (events) => seqs.push(...events.map((e) => e.seq)),
      onReset: (event) => resets.push(event.seq),
      onState: (state) => states.push(state),
      random: () => 0.999999,
      now: () => 1000,
      isOnline: () => online,
    });

  beforeEach(() => {
    vi.useFakeTimers();
    sockets = [];
    seqs = [];
    resets = [];
    states = [];
    online = true;
  });
  afterEach(() => vi.useRealTimers());

  it("starts from the snapshot's seq, splits multi-event messages and drops seqs already seen", () => {
    const connection = make();
    connection.start(10);
    expect(sockets[0].url).toBe("ws://x/ws/events?since=10");
    sockets[0].open();
    sockets[0].send({ type: "activity", seq: 9 }, { type: "activity", seq: 11 }, { type: "system_stats", seq: 12 });
    sockets[0].send({ type: "activity", seq: 12 }, { type: "activity", seq: 14 });
    expect(seqs).toEqual([11, 12, 14]);
    expect(connection.lastSeq).toBe(14);
    expect(states.at(-1)).toEqual({ kind: "live" });
  });

  it("reconnects with backoff (first retry under 1 s, capped at 5 s) and resumes by since", () => {
    const connection = make();
    connection.start(0);
    sockets[0].open();
    sockets[0].send({ type: "activity", seq: 1 }, { type: "activity", seq: 2 });
    const delays: number[] = [];
    for (let attempt = 1; attempt <= 8; attempt++) {
      sockets.at(-1)!.drop();
      const state = states.at(-1)!;
      expect(state.kind).toBe("reconnecting");
      if (state.kind !== "reconnecting") return;
      expect(state.attempt).toBe(attempt);
      delays.push(state.retryAt - 1000);
      const count = sockets.length;
      vi.advanceTimersByTime(state.retryAt - 1000 - 1);
      expect(sockets.length).toBe(count);
      vi.advanceTimersByTime(1);
      expect(sockets.length).toBe(count + 1);
      expect(sockets.at(-1)!.url).toBe("ws://x/ws/events?since=2");
    }
    expect(delays[0]).toBeLessThan(1000);
    expect(Math.max(...delays)).toBe(5000);
    expect(delays).toEqual([...delays].sort((a, b) => a - b));
    sockets.at(-1)!.open();
    expect(states.at(-1)).toEqual({ kind: "live" });
    sockets.at(-1)!.drop();
    const again = states.at(-1)!;
    expect(again.kind === "reconnecting" && again.attempt).toBe(1);
  });

  it("says offline while the browser has no network", () => {
    const connection = make();
    connection.start(0);
    online = false;
    sockets[0].drop();
    expect(states.at(-1)).toEqual({ kind: "offline" });
    connection.retryNow();
    expect(sockets.length).toBe(2);
  });

  it("hands a reset over and continues after its seq", () => {
    const connection = make();
    connection.start(5);
    sockets[0].open();
    sockets[0].send({ type: "reset", topic: "channel", seq: 40 }, { type: "activity", seq: 39 }, { type: "activity", seq: 41 });
    expect(resets).toEqual([40]);
    expect(seqs).toEqual([41]);
    connection.coveredUpTo(45);
    sockets[0].send({ type: "activity", seq: 44 }, { type: "activity", seq: 46 });
    expect(seqs).toEqual([41, 46]);
  });

  it("builds the socket URL from the page's location", () => {
    expect(opsSocketUrl(7, { protocol: "https:", host: "e.example:8443" } as Location)).toBe("wss://e.example:8443/ws/events?since=7");
  });
});
