// All calculations of this page: their records and their live channels. A task shown in the
// modal or on the period page is "watched" and gets a WebSocket; a task only in the tray is
// followed by light polling until it ends, so every card stays live. Tasks saved by an earlier
// page are asked for once before they get a channel; those the server no longer knows leave quietly.
import * as api from "../api";
import type { CalculationRequest } from "../protocol";
import type { SavedTask } from "./saved_tasks";
import { TaskConnection, type PollOutcome, type SocketLike } from "./task_connection";
import { applyEvent, applySnapshot, isTerminal, newTaskRecord, restoredTaskRecord, type TaskRecord } from "./task_record";

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
  private readonly restored = new Set<string>();
  private readonly checking = new Set<string>();

  constructor(deps: StoreDeps) {
    this.deps = deps;
  }

  /// Registers an accepted task (newest first in `all()`).
  add(id: string, request: CalculationRequest, placeName = ""): TaskRecord {
    const record = newTaskRecord(id, request, this.deps.now(), placeName);
    this.records.set(id, record);
    this.emit(id);
    this.follow(id);
    return record;
  }

  /// Brings back tasks of an earlier page (`saved` newest first, as `all()` lists them) with
  /// status "restoring". Each is fetched once: a finished one gets its result, a running one then
  /// follows like any other (a watched one replays its events from the first), and one the
  /// server answers 404 for is removed without an error.
  restore(saved: readonly SavedTask[]): void {
    for (const task of [...saved].reverse()) {
      if (this.records.has(task.id)) continue;
      this.records.set(task.id, restoredTaskRecord(task.id, task.request, task.started_at_ms, task.place_name ?? ""));
      this.restored.add(task.id);
      this.checking.add(task.id);
      this.emit(task.id);
      void this.check(task.id);
    }
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
    this.restored.delete(id);
    this.checking.delete(id);
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

  private async check(id: string): Promise<void> {
    const outcome = await this.pollOutcome(id);
    if (!this.checking.delete(id)) return;
    if (outcome.kind === "gone") {
      this.gone(id);
      return;
    }
    if (outcome.kind === "snapshot") this.update(id, (r) => applySnapshot(r, outcome.snapshot, this.deps.now()));
    // Just asked: the next background poll waits its turn. Unreachable: the channels retry.
    this.follow(id, kBackgroundPollMs);
  }

  /// The server has no such task: a restored one was pruned or lives in another data dir, so it
  /// is dropped; one submitted by this page is shown as failed.
  private gone(id: string): void {
    if (this.restored.has(id)) this.remove(id);
    else this.update(id, (r) => ({ ...r, status: "error", error_code: "not_found" }));
  }

  private follow(id: string, firstPollMs = 0): void {
    const record = this.records.get(id);
    if (!record || this.checking.has(id)) return;
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
      this.scheduleBackground(id, firstPollMs);
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
      onGone: () => this.gone(id),
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
          this.gone(id);
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
