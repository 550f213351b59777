// The monitored-site endpoints (issue 14).
import type { ApiResult } from "../api";
import type { Workspace } from "../workspace/workspace";

export interface SiteDay {
  date: string;
  eto_mm: number | null;
  kind: "observed" | "forecast";
}

export interface Site {
  id: string;
  name: string;
  latitude: number;
  longitude: number;
  schedule: { local_time: string; utc_offset_minutes: number | null; time_zone?: string };
  modes: ("recent" | "forecast")[];
  recent_days: number;
  last_run: { local_date: string; outcome: string; finished_at: string | null } | null;
  next_run_at: string;
  last_eto: SiteDay | null;
  recent: SiteDay[];
}

export interface SiteInput {
  name?: string;
  latitude?: number;
  longitude?: number;
  schedule?: { local_time: string };
  modes?: ("recent" | "forecast")[];
}

export function listSites(workspace: Workspace): Promise<ApiResult<{ sites: Site[] }>> {
  return workspace.call("/api/v1/sites");
}

export function createSite(workspace: Workspace, site: SiteInput): Promise<ApiResult<Site>> {
  return workspace.call("/api/v1/sites", { method: "POST", body: JSON.stringify(site) });
}

export function updateSite(workspace: Workspace, id: string, changes: SiteInput): Promise<ApiResult<Site>> {
  return workspace.call(`/api/v1/sites/${encodeURIComponent(id)}`, { method: "PATCH", body: JSON.stringify(changes) });
}

export function deleteSite(workspace: Workspace, id: string): Promise<ApiResult<unknown>> {
  return workspace.call(`/api/v1/sites/${encodeURIComponent(id)}`, { method: "DELETE" });
}

/// The site's history as CSV text (downloaded with the key, so not a plain link).
export async function historyCsv(workspace: Workspace, id: string): Promise<string | null> {
  const key = await workspace.ensureKey();
  if (!key) return null;
  try {
    const response = await fetch(`/api/v1/sites/${encodeURIComponent(id)}/history?format=csv`, { headers: { Authorization: `Bearer ${key}` } });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}
