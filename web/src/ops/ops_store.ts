// Everything the operations page shows, folded from the overview snapshot and the channel's
// events. Pure state: no DOM, no network (the page renders it and fetches what it needs). Each
// change names the sections it touched so the page redraws only those.
import type { MessageKey } from "../i18n/i18n";
import { kOpsEventNames } from "./catalog";
import type {
  ActivityData,
  ComponentHealth,
  OpsEvent,
  Overview,
  PriorsState,
  SourceStatus,
  StatsPoint,
  SystemStats,
  TaskRow,
  Volume,
} from "./protocol";

export type Section =
  | "nodes"
  | "health"
  | "sources"
  | "activity"
  | "volume"
  | "priors"
  | "tasks"
  | "counters"
  | "uploads"
  | "datasets"
  | "sites"
  | "toasts";

export interface NodeView {
  node: string;
  stats?: SystemStats;
  history: StatsPoint[];
}

export interface Toast {
  id: number;
  tone: "info" | "success" | "error";
  key: MessageKey;
  params: Record<string, string | number>;
  translated: Record<string, string>;
  event: string;
}

export interface UploadView {
  upload_id: string;
  name: string;
  error_detail?: string;
  bytes_received: number;
  bytes_total: number | null;
  rows_parsed: number;
  state: "uploading" | "done" | "error";
  error?: string;
  dataset_id?: string;
}

export interface DatasetView {
  dataset_id: string;
  name: string;
  rows: number;
  timestep?: string;
  start?: string;
  end?: string;
  updated?: boolean;
}

export interface SiteView {
  site_id: string;
  name: string;
  latitude?: number;
  longitude?: number;
  schedule?: string;
  deleted: boolean;
}

/// Last 10 minutes of stats per node.
export const kHistoryMs = 10 * 60 * 1000;
export const kActivityCap = 200;
export const kToastCap = 5;

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const str = (value: unknown): string => (typeof value === "string" ? value : "");

/// How the channel names a task: the first 12 hex digits of its id (the id itself opens the
/// task's results, so only the admin's task table carries it).
export function taskRef(taskId: string): string {
  return taskId.slice(0, 12);
}

export class OpsStore {
  readonly nodes = new Map<string, NodeView>();
  readonly health = new Map<string, ComponentHealth>();
  readonly sources = new Map<string, SourceStatus>();
  activity: OpsEvent<ActivityData>[] = [];  // newest first
  readonly volume = new Map<string, Volume>();
  priors: PriorsState | null = null;
  readonly tasks = new Map<string, TaskRow>();
  readonly counters: Record<string, number> = Object.fromEntries(kOpsEventNames.map((name) => [name, 0]));
  readonly uploads = new Map<string, UploadView>();
  readonly datasets = new Map<string, DatasetView>();
  readonly sites = new Map<string, SiteView>();
  toasts: Toast[] = [];
  snapshotSeq = 0;
  private priorsStale = false;
  private unknownTasks = false;
  private nextToast = 1;
  private readonly listeners = new Set<(sections: Set<Section>) => void>();

  subscribe(listener: (sections: Set<Section>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /// Replaces the state by the snapshot (after a first load or a reset).
  applySnapshot(overview: Overview): void {
    this.snapshotSeq = overview.seq;
    this.nodes.clear();
    for (const node of overview.nodes) this.nodes.set(node.node, { node: node.node, stats: node.stats, history: [...node.history] });
    this.health.clear();
    for (const component of overview.health) this.health.set(`${component.kind}:${component.name}`, component);
    this.sources.clear();
    for (const source of overview.sources) this.sources.set(source.source, source);
    this.activity = [...overview.activity].reverse().slice(0, kActivityCap);
    this.volume.clear();
    for (const volume of overview.volume) this.volume.set(volume.node ?? overview.node, volume);
    this.priors = overview.priors;
    this.emit(["nodes", "health", "sources", "activity", "volume", "priors"]);
  }

  /// Rows of the tasks table, as loaded from GET /api/v1/ops/tasks (live events keep them fresh).
  setTasks(rows: Omit<TaskRow, "task_ref">[]): void {
    const nodes = new Map([...this.tasks.values()].map((row) => [row.task_ref, row.node]));
    this.tasks.clear();
    for (const row of rows) {
      const ref = taskRef(row.task_id);
      this.tasks.set(ref, { ...row, task_ref: ref, node: nodes.get(ref) });
    }
    this.emit(["tasks"]);
  }

  /// True once after an event about a task the table did not have (the page then reads the rows
  /// again, for its point and period).
  takeUnknownTasks(): boolean {
    const unknown = this.unknownTasks;
    this.unknownTasks = false;
    return unknown;
  }

  /// True once after a priors_deployed event (the page then reads the versions again).
  takePriorsStale(): boolean {
    const stale = this.priorsStale;
    this.priorsStale = false;
    return stale;
  }

  setPriors(priors: PriorsState): void {
    this.priors = priors;
    this.emit(["priors"]);
  }

  dismissToast(id: number): void {
    this.toasts = this.toasts.filter((toast) => toast.id !== id);
    this.emit(["toasts"]);
  }

  applyEvents(events: OpsEvent[]): void {
    const touched = new Set<Section>();
    for (const event of events) this.apply(event, touched);
    if (touched.size) this.emit([...touched]);
  }

  private apply(event: OpsEvent, touched: Set<Section>): void {
    if (event.type in this.counters) {
      this.counters[event.type] += 1;
      touched.add("counters");
    }
    const d = event.data;
    switch (event.type) {
      case "system_stats": {
        const view = this.nodes.get(event.node) ?? { node: event.node, history: [] };
        const stats = d as unknown as SystemStats;
        view.stats = stats;
        view.history.push({
          ts: event.ts,
          process_cpu_pct: stats.process_cpu_pct,
          machine_cpu_pct: stats.machine_cpu_pct,
          rss_bytes: stats.rss_bytes,
          memory_available_bytes: stats.memory_available_bytes ?? 0,
          disk_free_bytes: stats.disk_free_bytes,
        });
        const cutoff = Date.parse(event.ts) - kHistoryMs;
        view.history = view.history.filter((point) => Date.parse(point.ts) >= cutoff);
        this.nodes.set(event.node, view);
        touched.add("nodes");
        return;
      }
      case "health_change": {
        const component = d as unknown as ComponentHealth;
        this.health.set(`${component.kind}:${component.name}`, component);
        touched.add("health");
        if (component.state !== "healthy") {
          this.toast("error", "ops.toast.health_bad", { name: component.name, state: component.state }, event, touched, { state: "ops.health.state." });
        } else if (component.previous) {
          this.toast("success", "ops.toast.health_ok", { name: component.name }, event, touched);
        }
        return;
      }
      case "activity":
        if (!this.activity.some((item) => item.seq === event.seq)) {
          this.activity.unshift(event as unknown as OpsEvent<ActivityData>);
          this.activity.length = Math.min(this.activity.length, kActivityCap);
          touched.add("activity");
        }
        return;
      case "source_status": {
        const status = d as unknown as SourceStatus;
        this.sources.set(status.source, status);
        touched.add("sources");
        return;
      }
      case "calculation_volume":
        this.volume.set(event.node, { ...(d as unknown as Volume), node: event.node });
        touched.add("volume");
        return;
      case "priors_deployed": {
        const active = d.active as PriorsState["active"] | undefined;
        if (this.priors && active) {
          this.priors = { ...this.priors, active_version: num(d.version) ?? active.version, active };
        }
        this.priorsStale = true;
        touched.add("priors");
        this.toast("success", d.action === "rollback" ? "ops.toast.priors_rolled_back" : "ops.toast.priors_deployed", { version: num(d.version) ?? 0 }, event, touched);
        return;
      }
      case "calculation_progress":
      case "calculation_complete":
      case "calculation_error":
        this.applyTask(event, touched);
        return;
      case "upload_progress":
      case "upload_complete":
      case "upload_error":
        this.applyUpload(event, touched);
        return;
      case "dataset_created":
      case "dataset_updated": {
        const id = str(d.dataset_id);
        const before = this.datasets.get(id);
        this.datasets.set(id, {
          dataset_id: id,
          name: str(d.name) || before?.name || id,
          rows: num(d.rows) ?? before?.rows ?? 0,
          timestep: str(d.timestep) || before?.timestep,
          start: str(d.start) || before?.start,
          end: str(d.end) || before?.end,
          updated: event.type === "dataset_updated",
        });
        touched.add("datasets");
        this.toast("info", event.type === "dataset_created" ? "ops.toast.dataset_created" : "ops.toast.dataset_updated", { name: str(d.name) || id }, event, touched);
        return;
      }
      case "site_created":
      case "site_updated":
      case "site_deleted": {
        const id = str(d.site_id);
        const before = this.sites.get(id);
        this.sites.set(id, {
          site_id: id,
          name: str(d.name) || before?.name || id,
          latitude: num(d.latitude) ?? before?.latitude,
          longitude: num(d.longitude) ?? before?.longitude,
          schedule: str(d.schedule) || before?.schedule,
          deleted: event.type === "site_deleted",
        });
        touched.add("sites");
        return;
      }
      default:
        return;
    }
  }

  private applyTask(event: OpsEvent, touched: Set<Section>): void {
    const d = event.data;
    const id = str(d.task_ref);
    if (!id) return;
    if (!this.tasks.has(id)) this.unknownTasks = true;
    const row: TaskRow = this.tasks.get(id) ?? {
      task_id: "",
      task_ref: id,
      status: "processing",
      created_at: event.ts,
      started_at: event.ts,
      finished_at: null,
      progress: 0,
      step: "",
      attempts: 1,
      error_code: null,
      latitude: null,
      longitude: null,
      start_date: null,
      end_date: null,
    };
    row.node = event.node;
    // The channel's point is rounded to 0.1°: the table's exact one stays.
    for (const key of ["latitude", "longitude", "start_date", "end_date", "attempts"] as const) {
      const known = key !== "attempts" && row[key] !== null;
      if (d[key] !== undefined && d[key] !== null && !known) (row as unknown as Record<string, unknown>)[key] = d[key];
    }
    if (event.type === "calculation_progress") {
      row.status = "processing";
      row.step = str(d.step);
      row.progress = num(d.progress) ?? row.progress;
    } else {
      row.status = str(d.state) || (event.type === "calculation_complete" ? "success" : "error");
      row.finished_at = event.ts;
      if (event.type === "calculation_complete") {
        row.progress = 100;
        row.step = "finalizing";
        this.toast("success", "ops.toast.calculation_complete", { id: id.slice(0, 8), days: num(d.days) ?? 0 }, event, touched);
      } else {
        row.error_code = str(d.error_code) || null;
        this.toast("error", "ops.toast.calculation_error", { id: id.slice(0, 8), state: row.status }, event, touched, { state: "status." });
      }
    }
    this.tasks.set(id, row);
    touched.add("tasks");
  }

  private applyUpload(event: OpsEvent, touched: Set<Section>): void {
    const d = event.data;
    const id = str(d.upload_id);
    const view: UploadView = this.uploads.get(id) ?? { upload_id: id, name: str(d.name) || id, bytes_received: 0, bytes_total: null, rows_parsed: 0, state: "uploading" };
    if (event.type === "upload_progress") {
      view.bytes_received = num(d.bytes_received) ?? view.bytes_received;
      view.bytes_total = num(d.bytes_total) ?? view.bytes_total;
      view.rows_parsed = num(d.rows_parsed) ?? view.rows_parsed;
    } else if (event.type === "upload_complete") {
      view.state = "done";
      view.rows_parsed = num(d.rows) ?? view.rows_parsed;
      view.bytes_received = num(d.bytes) ?? view.bytes_received;
      view.dataset_id = str(d.dataset_id);
      this.toast("success", "ops.toast.upload_complete", { name: view.name }, event, touched);
    } else {
      view.state = "error";
      // The code is shown (a machine's word, the same in every language); the server's English
      // sentence is the line's tooltip.
      view.error = str(d.error_code) || "ERROR";
      view.error_detail = str(d.error);
      this.toast("error", "ops.toast.upload_error", { name: view.name }, event, touched);
    }
    this.uploads.set(id, view);
    touched.add("uploads");
  }

  /// `translated` names params whose value is a message code under a prefix ({state: "status."}),
  /// translated when the toast is drawn.
  private toast(tone: Toast["tone"], key: MessageKey, params: Record<string, string | number>, event: OpsEvent, touched: Set<Section>, translated: Record<string, string> = {}): void {
    // Replayed history after a reconnect does not pop up again.
    if (event.seq <= this.snapshotSeq) return;
    this.toasts.unshift({ id: this.nextToast++, tone, key, params, translated, event: event.type });
    this.toasts.length = Math.min(this.toasts.length, kToastCap);
    touched.add("toasts");
  }

  private emit(sections: Section[]): void {
    const set = new Set(sections);
    for (const listener of this.listeners) listener(set);
  }
}
