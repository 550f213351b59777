// All calculations of this page: their records and their live channels. A task shown in the
// modal or on the period page is "watched" and gets a WebSocket; a task only in the tray is
// followed by light polling until it ends, so every card stays live.
import * as api from "../api";
import type { CalculationRequest } from "../protocol";
import { TaskConnection, type PollOutcome, type SocketLike } from "./task_connection";
import { applyEvent, applySnapshot, isTerminal, newTaskRecord, type TaskRecord } from "./task_record";

export interface StoreDeps {
  openSocket: (url: string) => SocketLike;
  socketUrl: (taskId: string, sinceSeq: number) => string;
  fetchTask: typeof api.fetchTask;
  now: () => number;
}

const kBackgroundPollMs = 1500;

export class TaskStore {
  private readonly deps: StoreDeps;
  private readonly records = new Map<string, TaskRecord>();
  private readonly connections = new Map<string, TaskConnection>();
  private readonly watchers = new Map<string, number>();
  private readonly backgroundTimers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly listeners = new Set<(id: string) => void>();

  constructor(deps: StoreDeps) {
    this.deps = deps;
  }

  /// Registers an accepted task (newest first in `all()`).
  add(id: string, request: CalculationRequest): TaskRecord {
    const record = newTaskRecord(id, request, this.deps.now());
    this.records.set(id, record);
    this.emit(id);
    this.follow(id);
    return record;
  }

  get(id: string): TaskRecord | undefined {
    return this.records.get(id);
  }

  /// Every task, newest first.
  all(): TaskRecord[] {
    return [...this.records.values()].reverse();
  }

  /// Forgets a task (its channel closes; the task goes on on the server).
  remove(id: string): void {
    this.closeChannels(id);
    this.records.delete(id);
    this.watchers.delete(id);
    this.emit(id);
  }

  /// Calls `listener(taskId)` on every change; returns the unsubscribe function.
  subscribe(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /// Marks the task as on screen: it gets a WebSocket (resuming after the last seq seen).
  /// Returns the release function; when the last watcher leaves, the socket closes.
  watch(id: string): () => void {
    this.watchers.set(id, (this.watchers.get(id) ?? 0) + 1);
    this.follow(id);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.watchers.set(id, Math.max(0, (this.watchers.get(id) ?? 1) - 1));
      this.follow(id);
    };
  }

  private follow(id: string): void {
    const record = this.records.get(id);
    if (!record) return;
    if (isTerminal(record.status)) {
      this.closeChannels(id);
      return;
    }
    if ((this.watchers.get(id) ?? 0) > 0) {
      this.stopBackground(id);
      this.connectionFor(id).start();
    } else {
      const connection = this.connections.get(id);
      if (connection) {
        connection.stop();
        this.connections.delete(id);
      }
      this.update(id, (r) => ({ ...r, connection: "polling" }));
      this.scheduleBackground(id, 0);
    }
  }

  private connectionFor(id: string): TaskConnection {
    let connection = this.connections.get(id);
    if (connection) return connection;
    connection = new TaskConnection({
      initialSeq: this.records.get(id)?.last_seq ?? 0,
      socketUrl: (since) => this.deps.socketUrl(id, since),
      openSocket: this.deps.openSocket,
      poll: () => this.pollOutcome(id),
      onEvent: (event) => {
        this.update(id, (r) => applyEvent(r, event, this.deps.now()));
      },
      onSnapshot: (snapshot) => {
        this.update(id, (r) => applySnapshot(r, snapshot, this.deps.now()));
        const record = this.records.get(id);
        if (record && isTerminal(record.status)) this.closeChannels(id);
      },
      onState: (state) => this.update(id, (r) => ({ ...r, connection: state })),
      onGone: () => this.update(id, (r) => ({ ...r, status: "error", error_code: "not_found" })),
    });
    this.connections.set(id, connection);
    return connection;
  }

  private async pollOutcome(id: string): Promise<PollOutcome> {
    const result = await this.deps.fetchTask(id);
    if (result.ok) return { kind: "snapshot", snapshot: result.value };
    if (result.status === 404) return { kind: "gone" };
    return { kind: "unreachable" };
  }

  private scheduleBackground(id: string, delayMs: number): void {
    if (this.backgroundTimers.has(id)) return;
    const timer = setTimeout(() => {
      void (async () => {
        const outcome = await this.pollOutcome(id);
        this.backgroundTimers.delete(id);
        if (!this.records.has(id) || (this.watchers.get(id) ?? 0) > 0) return;
        if (outcome.kind === "gone") {
          this.update(id, (r) => ({ ...r, status: "error", error_code: "not_found" }));
          return;
        }
        if (outcome.kind === "snapshot") {
          this.update(id, (r) => ({ ...applySnapshot(r, outcome.snapshot, this.deps.now()), connection: "polling" }));
        } else {
          this.update(id, (r) => ({ ...r, connection: "reconnecting" }));
        }
        const record = this.records.get(id);
        if (record && !isTerminal(record.status)) this.scheduleBackground(id, kBackgroundPollMs);
      })();
    }, delayMs);
    this.backgroundTimers.set(id, timer);
  }

  private stopBackground(id: string): void {
    const timer = this.backgroundTimers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.backgroundTimers.delete(id);
  }

  private closeChannels(id: string): void {
    this.stopBackground(id);
    const connection = this.connections.get(id);
    if (connection) {
      connection.stop();
      this.connections.delete(id);
    }
  }

  private update(id: string, change: (record: TaskRecord) => TaskRecord): void {
    const record = this.records.get(id);
    if (!record) return;
    const next = change(record);
    this.records.set(id, next);
    if (isTerminal(next.status) && !isTerminal(record.status)) {
      // Defer: the connection that delivered the terminal event stops itself.
      queueMicrotask(() => this.closeChannels(id));
    }
    this.emit(id);
  }

  private emit(id: string): void {
    for (const listener of this.listeners) listener(id);
  }
}
