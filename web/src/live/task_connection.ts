// One task's live channel: a WebSocket resumed with ?since=<last seq> after any disconnect,
// reconnecting with capped, jittered exponential backoff, and polling the task over HTTP while the
// socket cannot open. Events reach `onEvent` exactly once and in order (duplicates by seq dropped).
import { kTerminalTypes, parseTaskEvent, type TaskEvent, type TaskSnapshot } from "../protocol";
import { backoffDelayMs, kDefaultBackoff, type BackoffPolicy } from "./backoff";

/// The subset of the browser WebSocket this class uses (a fake in tests).
export interface SocketLike {
  onopen: ((event: Event) => void) | null;
  onmessage: ((event: MessageEvent) => void) | null;
  onclose: ((event: CloseEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(code?: number, reason?: string): void;
  readonly readyState?: number;
}

export type ConnectionState = "connecting" | "live" | "reconnecting" | "polling" | "closed";

export type PollOutcome =
  | { kind: "snapshot"; snapshot: TaskSnapshot }
  | { kind: "unreachable" }
  | { kind: "gone" };

export interface ConnectionOptions {
  /// URL of the socket resuming after `sinceSeq` (0: from the start).
  socketUrl: (sinceSeq: number) => string;
  openSocket: (url: string) => SocketLike;
  /// GET the task once (used while the socket cannot open).
  poll: () => Promise<PollOutcome>;
  onEvent: (event: TaskEvent) => void;
  onSnapshot: (snapshot: TaskSnapshot) => void;
  onState: (state: ConnectionState) => void;
  /// The task no longer exists on the server.
  onGone?: () => void;
  /// Events up to this seq were already delivered (resume point).
  initialSeq?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /// Consecutive failed opens before polling starts alongside the reconnect attempts.
  failuresBeforePolling?: number;
  pollIntervalMs?: number;
}

export class TaskConnection {
  private readonly options: ConnectionOptions;
  private socket: SocketLike | null = null;
  private lastSeq_: number;
  private attempt = 0;
  private failedOpens = 0;
  private opened = false;
  private stopped = true;
  private finished = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pollTimer: ReturnType<typeof setTimeout> | null = null;
  private polling = false;
  private state_: ConnectionState = "closed";

  constructor(options: ConnectionOptions) {
    this.options = options;
    this.lastSeq_ = options.initialSeq ?? 0;
  }

  /// Highest seq delivered so far.
  get lastSeq(): number {
    return this.lastSeq_;
  }

  get state(): ConnectionState {
    return this.state_;
  }

  /// Opens the socket (idempotent). After a terminal event the connection stays closed.
  start(): void {
    if (!this.stopped || this.finished) return;
    this.stopped = false;
    this.attempt = 0;
    this.failedOpens = 0;
    this.setState("connecting");
    this.open();
  }

  /// Closes the socket normally and stops every timer; the task itself goes on on the server.
  stop(): void {
    this.stopped = true;
    this.clearTimers();
    this.polling = false;
    this.closeSocket();
    this.setState("closed");
  }

  private open(): void {
    this.opened = false;
    let socket: SocketLike;
    try {
      socket = this.options.openSocket(this.options.socketUrl(this.lastSeq_));
    } catch {
      this.handleClose();
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.opened = true;
      this.attempt = 0;
      this.failedOpens = 0;
      this.stopPolling();
      this.setState("live");
    };
    socket.onmessage = (message: MessageEvent) => {
      if (this.socket !== socket || typeof message.data !== "string") return;
      this.handleMessage(message.data);
    };
    // onerror is always followed by onclose; reconnecting happens there.
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.handleClose();
    };
  }

  private handleMessage(text: string): void {
    const event = parseTaskEvent(text);
    if (!event || event.seq <= this.lastSeq_) return;
    this.lastSeq_ = event.seq;
    this.options.onEvent(event);
    if (kTerminalTypes.has(event.type)) this.finish();
  }

  private finish(): void {
    this.finished = true;
    this.stop();
  }

  private handleClose(): void {
    if (this.stopped || this.finished) return;
    if (!this.opened) this.failedOpens += 1;
    this.attempt += 1;
    const threshold = this.options.failuresBeforePolling ?? 2;
    if (this.failedOpens >= threshold && !this.polling) this.startPolling();
    if (!this.polling) this.setState("reconnecting");
    const delay = backoffDelayMs(this.attempt, this.options.backoff ?? kDefaultBackoff, this.options.random ?? Math.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.stopped && !this.finished) this.open();
    }, delay);
  }

  private startPolling(): void {
    this.polling = true;
    this.setState("reconnecting");
    void this.pollOnce();
  }

  private stopPolling(): void {
    this.polling = false;
    if (this.pollTimer !== null) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }

  private async pollOnce(): Promise<void> {
    if (!this.polling || this.stopped) return;
    const outcome = await this.options.poll();
    if (!this.polling || this.stopped) return;
    if (outcome.kind === "gone") {
      this.options.onGone?.();
      this.finish();
      return;
    }
    if (outcome.kind === "snapshot") {
      this.setState("polling");
      this.options.onSnapshot(outcome.snapshot);
      if (this.stopped) return;
    } else {
      this.setState("reconnecting");
    }
    this.pollTimer = setTimeout(() => {
      this.pollTimer = null;
      void this.pollOnce();
    }, this.options.pollIntervalMs ?? 2000);
  }

  private closeSocket(): void {
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onmessage = null;
      socket.onclose = null;
      socket.onerror = null;
      if (socket.readyState === 0) {
        // Closing a socket still connecting makes the browser log an error; close it once open.
        socket.onopen = () => socket.close(1000, "client closed");
        return;
      }
      socket.onopen = null;
      try {
        socket.close(1000, "client closed");
      } catch {
        // A socket still connecting may refuse close(); it is already detached.
      }
    }
  }

  private clearTimers(): void {
    if (this.reconnectTimer !== null) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopPolling();
  }

  private setState(state: ConnectionState): void {
    if (this.state_ === state) return;
    this.state_ = state;
    this.options.onState(state);
  }
}
