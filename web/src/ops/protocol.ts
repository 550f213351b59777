// Wire types of the operations channel (docs/asyncapi.json): the envelope, the data of the events
// the page reads, and the overview snapshot (GET /api/v1/ops/overview).

export interface OpsEvent<D = Record<string, unknown>> {
  type: string;
  topic: string;
  seq: number;
  ts: string;
  node: string;
  data: D;
}

export type Health = "healthy" | "degraded" | "down";

export interface SystemStats {
  process_cpu_pct: number;
  machine_cpu_pct: number;
  cores?: number;
  rss_bytes: number;
  memory_total_bytes?: number;
  memory_available_bytes?: number;
  disk_free_bytes: number;
  disk_total_bytes?: number;
  load_1?: number;
  queue_depth: number | null;
  running_tasks: number | null;
  websocket_connections: number;
  sse_connections: number;
  ops_subscribers?: number;
  http_requests_per_s?: number;
  upstream_requests_per_s: number;
}

export interface StatsPoint {
  ts: string;
  process_cpu_pct: number;
  machine_cpu_pct: number;
  rss_bytes: number;
  memory_available_bytes: number;
  disk_free_bytes: number;
}

export interface ComponentHealth {
  kind: string;
  name: string;
  state: Health;
  previous?: Health | null;
  since: string;
  reason: string;
  detail: Record<string, unknown>;
}

export interface SourceStatus {
  source: string;
  enabled: boolean;
  health: Health;
  attempts: number;
  failures: number;
  error_rate: number | null;
  retries: number;
  rate_limit_waits: number;
  latency_p50_ms: number | null;
  latency_p95_ms: number | null;
}

export interface VolumeCounts {
  started: number;
  succeeded: number;
  failed: number;
  cancelled: number;
  days: number;
  cache_hits: number;
  cache_lookups: number;
  cache_hit_ratio: number | null;
}

export interface Volume {
  node?: string;
  minute: VolumeCounts;
  hour: VolumeCounts;
}

export interface PriorsVersion {
  version: number;
  rows: number;
  created_at: string | null;
  note: string;
}

export interface PriorsState {
  active_version: number;
  active: PriorsVersion;
  versions: PriorsVersion[];
  deployments: { version: number; action: string; at: string; undone: boolean }[];
}

export interface ActivityData {
  kind: string;
  action: string;
  subject: string;
  params: Record<string, unknown>;
}

export interface TaskRow {
  /// Empty for a task seen on the channel only (its events carry task_ref, not the id).
  task_id: string;
  /// The id's first 12 hex digits: how the channel's events name the task.
  task_ref: string;
  status: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  progress: number;
  step: string;
  attempts: number;
  error_code: string | null;
  latitude: number | null;
  longitude: number | null;
  start_date: string | null;
  end_date: string | null;
  mode?: string | null;
  node?: string;
}

export interface Overview {
  seq: number;
  generated_at: string;
  node: string;
  nodes: { node: string; stats?: SystemStats; history: StatsPoint[] }[];
  health: ComponentHealth[];
  sources: SourceStatus[];
  activity: OpsEvent<ActivityData>[];
  volume: Volume[];
  priors: PriorsState;
}

/// The events of one WebSocket message: one JSON object per line. Lines that are not an event
/// are skipped.
export function parseOpsMessage(text: string): OpsEvent[] {
  const events: OpsEvent[] = [];
  for (const line of text.split("\n")) {
    if (!line) continue;
    try {
      const value = JSON.parse(line) as Partial<OpsEvent>;
      if (typeof value.type === "string" && typeof value.seq === "number" && typeof value.data === "object" && value.data !== null) {
        events.push({ type: value.type, topic: String(value.topic ?? ""), seq: value.seq, ts: String(value.ts ?? ""), node: String(value.node ?? ""), data: value.data as Record<string, unknown> });
      }
    } catch {
      // not JSON: ignored
    }
  }
  return events;
}
