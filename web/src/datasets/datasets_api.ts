// The dataset endpoints (issue 14): list, one, rows, delete, calculations, and the upload, sent
// with XMLHttpRequest so that the bytes sent can be shown while they go.
import type { ApiResult } from "../api";
import type { Workspace } from "../workspace/workspace";

export interface ColumnSummary {
  count: number;
  missing: number;
  min: number | null;
  max: number | null;
  mean: number | null;
}

export interface Problem {
  line: number;
  field: number;
  column: string;
  reason: string;
  message: string;
}

export interface Dataset {
  id: string;
  name: string;
  timestep: "daily" | "hourly";
  columns: string[];
  site: { latitude_deg: number | null; longitude_deg: number | null; elevation_m: number | null };
  rows: number;
  period: { start: string; end: string } | null;
  gaps: { count: number; missing_steps: number; list: { after: string; before: string; missing_steps: number }[] };
  summary: Record<string, ColumnSummary>;
  upload: { file_name?: string; rows_rejected?: number; rejected?: Problem[] };
  created_at: string;
}

export interface Rows {
  columns: string[];
  total: number;
  rows: Record<string, string | number | null>[];
}

export interface UploadFields {
  name: string;
  latitude_deg: string;
  longitude_deg: string;
  elevation_m: string;
  wind_height_m: string;
  tz_offset_h: string;
  skip_invalid: boolean;
}

/// What a refused upload says: the problems with their lines.
export interface UploadRefusal {
  status: number;
  code: string;
  message: string;
  problems: Problem[];
  problem_count: number;
  details: { field: string; reason: string }[];
}

export type UploadOutcome =
  | { ok: true; dataset: Dataset & { upload: { rows_parsed: number; rows_rejected: number; rejected: Problem[] } } }
  | { ok: false; refusal: UploadRefusal };

export function listDatasets(workspace: Workspace): Promise<ApiResult<{ datasets: Dataset[] }>> {
  return workspace.call("/api/v1/datasets");
}

export function getDataset(workspace: Workspace, id: string): Promise<ApiResult<Dataset>> {
  return workspace.call(`/api/v1/datasets/${encodeURIComponent(id)}`);
}

export function getRows(workspace: Workspace, id: string, offset: number, limit: number): Promise<ApiResult<Rows>> {
  return workspace.call(`/api/v1/datasets/${encodeURIComponent(id)}/rows?offset=${offset}&limit=${limit}`);
}

export function deleteDataset(workspace: Workspace, id: string): Promise<ApiResult<unknown>> {
  return workspace.call(`/api/v1/datasets/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export interface CalculationOptions {
  method: string;
  rso: string;
  timestamp: string;
  constants: string;
  compare: boolean;
}

export function calculate(workspace: Workspace, id: string, options: CalculationOptions): Promise<ApiResult<{ task_id: string }>> {
  return workspace.call(`/api/v1/datasets/${encodeURIComponent(id)}/calculations`, {
    method: "POST",
    body: JSON.stringify(options),
  });
}

/// A random id the page gives its upload, to pick its own events off the channel.
export function newUploadId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return "u-" + [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/// Sends `file` as multipart/form-data (the fields first, the file last: the server reads the
/// file as it arrives and needs the site values before its rows); `onSent(loaded, total)`
/// follows the bytes sent.
export function uploadDataset(
  key: string,
  file: File,
  fields: UploadFields,
  uploadId: string,
  onSent: (loaded: number, total: number) => void,
): Promise<UploadOutcome> {
  const form = new FormData();
  if (fields.name.trim()) form.append("name", fields.name.trim());
  for (const name of ["latitude_deg", "longitude_deg", "elevation_m", "wind_height_m", "tz_offset_h"] as const) {
    const value = fields[name].trim().replace(",", ".");
    if (value) form.append(name, value);
  }
  if (fields.skip_invalid) form.append("skip_invalid", "true");
  form.append("upload_id", uploadId);
  form.append("file", file, file.name);
  return new Promise((resolve) => {
    const request = new XMLHttpRequest();
    request.open("POST", "/api/v1/datasets");
    request.setRequestHeader("Authorization", `Bearer ${key}`);
    request.upload.addEventListener("progress", (event) => onSent(event.loaded, event.lengthComputable ? event.total : file.size));
    request.addEventListener("load", () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        body = null;
      }
      if (request.status === 201) {
        resolve({ ok: true, dataset: body as UploadOutcome extends { ok: true; dataset: infer D } ? D : never });
        return;
      }
      const error = (body as { error?: Partial<UploadRefusal> } | null)?.error ?? {};
      resolve({
        ok: false,
        refusal: {
          status: request.status,
          code: error.code ?? `HTTP_${request.status}`,
          message: error.message ?? `HTTP ${request.status}`,
          problems: error.problems ?? [],
          problem_count: error.problem_count ?? 0,
          details: error.details ?? [],
        },
      });
    });
    const network = (): void =>
      resolve({ ok: false, refusal: { status: 0, code: "NETWORK", message: "network", problems: [], problem_count: 0, details: [] } });
    request.addEventListener("error", network);
    request.addEventListener("abort", network);
    request.send(form);
  });
}
