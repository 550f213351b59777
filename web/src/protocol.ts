// The wire types of `evapo serve` (issue 4): task API and WebSocket events.
import type { MaybeNumber } from "./format";
import type { Warning } from "./warnings";

export type Mode = "historical" | "recent" | "forecast";
export type SourceKey = "nasa_power" | "open_meteo_archive" | "open_meteo_forecast" | "met_norway" | "nws";
export const kSourceKeys: readonly SourceKey[] = [
  "nasa_power",
  "open_meteo_archive",
  "open_meteo_forecast",
  "met_norway",
  "nws",
];

/// POST /api/v1/eto/calculations body.
export interface CalculationRequest {
  latitude: number;
  longitude: number;
  start_date: string;
  end_date: string;
  mode?: Mode;
  sources?: SourceKey[];
  elevation_m?: number;
  /// Calculate even over the sea (the server refuses such a point otherwise).
  allow_sea?: boolean;
}

export interface SourceStatus {
  source: string;
  state: string;
  message?: string;
}

export interface ProgressData {
  step: string;
  progress: number;
  current_step: number;
  total_steps: number;
  message?: string;
  sources?: SourceStatus[];
}

export interface DailyResult {
  date: string;
  eto_mm: MaybeNumber;
  eto_sd_mm: MaybeNumber;
  quality: "high" | "medium" | "low" | string;
  quality_reasons?: string[];
  sources?: string[];
  flags?: string[];
  tmax_c: MaybeNumber;
  tmin_c: MaybeNumber;
  rh_mean_pct: MaybeNumber;
  u2_m_s: MaybeNumber;
  rs_mj_m2: MaybeNumber;
  precip_mm: MaybeNumber;
  p_minus_eto_mm: MaybeNumber;
  upstream_eto_mm?: MaybeNumber;
}

export interface ResultLocation {
  latitude: number;
  longitude: number;
  elevation_m?: MaybeNumber;
  elevation_source?: string;
  utc_offset_seconds?: number;
  /// IANA zone whose local days the results are ("America/Sao_Paulo").
  time_zone?: string;
  [key: string]: unknown;
}

export interface SuccessData {
  results: DailyResult[];
  warnings?: Warning[];
  location?: ResultLocation;
}

export interface ErrorData {
  error?: string;
  error_code?: string;
  details?: unknown;
}

export type EventType = "PROGRESS" | "SUCCESS" | "ERROR" | "TIMEOUT" | "CANCELLED";
export const kTerminalTypes: ReadonlySet<string> = new Set(["SUCCESS", "ERROR", "TIMEOUT", "CANCELLED"]);

/// One WebSocket message; `seq` starts at 1 and increases by one per task.
export interface TaskEvent {
  type: EventType;
  task_id: string;
  seq: number;
  ts: string;
  data: Record<string, unknown>;
}

/// Parses one WebSocket text frame; null if it is not a task event.
export function parseTaskEvent(text: string): TaskEvent | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const event = value as Partial<TaskEvent>;
  if (typeof event.type !== "string" || typeof event.seq !== "number") return null;
  return {
    type: event.type as EventType,
    task_id: String(event.task_id ?? ""),
    seq: event.seq,
    ts: String(event.ts ?? ""),
    data: (typeof event.data === "object" && event.data !== null ? event.data : {}) as Record<string, unknown>,
  };
}

/// GET /api/v1/tasks/{id}, read defensively (field names per issue 4).
export interface TaskSnapshot {
  /// The server names it "status"; "state" is accepted too.
  status?: string;
  state?: string;
  progress?: number;
  step?: string;
  current_step?: number;
  total_steps?: number;
  result?: SuccessData;
  error?: ErrorData | string;
  last_seq?: number;
  /// ISO-8601 UTC.
  created_at?: string;
  started_at?: string | null;
  /// ISO-8601 UTC, null until the task ends.
  finished_at?: string | null;
}

/// One place of GET /api/v1/geocoding/search.
export interface Place {
  id?: number;
  name: string;
  latitude: number;
  longitude: number;
  elevation_m?: number | null;
  country?: string | null;
  country_code?: string | null;
  admin1?: string | null;
  admin2?: string | null;
  timezone?: string | null;
}
