// The page's operations channel: one WebSocket on /ws/events resumed with ?since=<last seq seen>
// after any disconnect, reconnecting with capped, jittered exponential backoff (first retry under
// 1 s, then up to 5 s). Events reach `onEvents` once, in seq order (a seq already seen is
// dropped). A "reset" message (what was missed is no longer kept) calls `onReset`, which reloads
// the snapshot; the stream goes on from there.
import { backoffDelayMs, kDefaultBackoff, type BackoffPolicy } from "../live/backoff";
import type { SocketLike } from "../live/task_connection";
import { parseOpsMessage, type OpsEvent } from "./protocol";

export type OpsConnectionState =
  | { kind: "connecting" }
  | { kind: "live" }
  | { kind: "reconnecting"; attempt: number; retryAt: number }
  | { kind: "offline" };

export interface OpsConnectionOptions {
  /// URL of the socket resuming after `sinceSeq`.
  socketUrl: (sinceSeq: number) => string;
  openSocket: (url: string) => SocketLike;
  onEvents: (events: OpsEvent[]) => void;
  onReset: (event: OpsEvent) => void;
  onState: (state: OpsConnectionState) => void;
  backoff?: BackoffPolicy;
  random?: () => number;
  now?: () => number;
  /// False while the browser knows it has no network (navigator.onLine).
  isOnline?: () => boolean;
}

export class OpsConnection {
  private readonly options: OpsConnectionOptions;
  private socket: SocketLike | null = null;
  private lastSeq_ = 0;
  private attempt = 0;
  private stopped = true;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private state_: OpsConnectionState = { kind: "connecting" };

  constructor(options: OpsConnectionOptions) {
    this.options = options;
  }

  /// Highest seq delivered (or covered by a snapshot).
  get lastSeq(): number {
    return this.lastSeq_;
  }

  get state(): OpsConnectionState {
    return this.state_;
  }

  /// Opens the socket continuing after `sinceSeq` (the snapshot's seq).
  start(sinceSeq: number): void {
    this.lastSeq_ = Math.max(this.lastSeq_, sinceSeq);
    if (!this.stopped) return;
    this.stopped = false;
    this.attempt = 0;
    this.setState({ kind: "connecting" });
    this.open();
  }

  /// A snapshot taken at `seq` replaces what came before: events up to it are not applied again.
  coveredUpTo(seq: number): void {
    this.lastSeq_ = Math.max(this.lastSeq_, seq);
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      if (socket.readyState === 0) {
        socket.onopen = () => socket.close(1000, "page closed");
      } else {
        socket.onopen = null;
        try {
          socket.close(1000, "page closed");
        } catch {
          // already closing
        }
      }
    }
  }

  /// Skips the wait of a pending reconnect (the browser came back online).
  retryNow(): void {
    if (this.stopped || this.socket !== null || this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    this.open();
  }

  private open(): void {
    let socket: SocketLike;
    try {
      socket = this.options.openSocket(this.options.socketUrl(this.lastSeq_));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setState({ kind: "live" });
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket || typeof message.data !== "string") return;
      this.receive(message.data);
    };
    socket.onerror = () => undefined;  // always followed by onclose
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.scheduleReconnect();
    };
  }

  private receive(text: string): void {
    const fresh: OpsEvent[] = [];
    for (const event of parseOpsMessage(text)) {
      if (event.type === "reset") {
        if (fresh.length) this.options.onEvents(fresh.splice(0));
        this.lastSeq_ = Math.max(this.lastSeq_, event.seq);
        this.options.onReset(event);
        continue;
      }
      if (event.seq <= this.lastSeq_) continue;
      this.lastSeq_ = event.seq;
      fresh.push(event);
    }
    if (fresh.length) this.options.onEvents(fresh);
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    this.attempt += 1;
    const delay = backoffDelayMs(this.attempt, this.options.backoff ?? kDefaultBackoff, this.options.random ?? Math.random);
    const now = this.options.now ?? Date.now;
    const online = this.options.isOnline ?? (() => true);
    this.setState(online() ? { kind: "reconnecting", attempt: this.attempt, retryAt: now() + delay } : { kind: "offline" });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.open();
    }, delay);
  }

  private setState(state: OpsConnectionState): void {
    this.state_ = state;
    this.options.onState(state);
  }
}

/// ws:// or wss:// URL of the operations channel resuming after `sinceSeq`.
export function opsSocketUrl(sinceSeq: number, base: Location = window.location): string {
  const scheme = base.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${base.host}/ws/events?since=${sinceSeq}`;
}
