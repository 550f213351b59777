import { describe, expect, it } from "vitest";
import { kOpsEvents, kOpsEventNames, kOpsTopics } from "./catalog";
import { OpsStore, type Section } from "./ops_store";
import type { OpsEvent, Overview } from "./protocol";

// One realistic event of each catalog name (payloads as docs/asyncapi.json describes them).
const samples: Record<string, Record<string, unknown>> = {
  calculation_progress: { task_ref: "a".repeat(12), step: "downloading", current_step: 3, total_steps: 7, progress: 20, task_seq: 3 },
  calculation_complete: { task_ref: "a".repeat(12), state: "success", task_seq: 9, latitude: -22.7, longitude: -47.6, days: 7, days_with_eto: 7, eto_mean_mm: 4.1, eto_total_mm: 28.7 },
  calculation_error: { task_ref: "b".repeat(12), state: "error", task_seq: 4, error_code: "unavailable", error: "every source failed" },
  calculation_volume: { minute: { started: 2, succeeded: 1, failed: 1, cancelled: 0, days: 7, cache_hits: 1, cache_lookups: 4, cache_hit_ratio: 0.25 }, hour: { started: 2, succeeded: 1, failed: 1, cancelled: 0, days: 7, cache_hits: 1, cache_lookups: 4, cache_hit_ratio: 0.25 } },
  system_stats: { process_cpu_pct: 12, machine_cpu_pct: 40, rss_bytes: 50e6, disk_free_bytes: 9e9, queue_depth: 0, running_tasks: 1, websocket_connections: 3, sse_connections: 0, upstream_requests_per_s: 1.5 },
  health_change: { kind: "source", name: "nasa_power", state: "down", previous: "healthy", since: "2026-01-01T00:00:00.000Z", reason: "failed_share", detail: { failed_share: 1, attempts: 5 } },
  activity: { kind: "node", action: "started", subject: "node-1", params: {} },
  source_status: { source: "nasa_power", enabled: true, health: "down", attempts: 5, failures: 5, error_rate: 1, retries: 0, rate_limit_waits: 0, latency_p50_ms: 3, latency_p95_ms: 9 },
  priors_deployed: { action: "deploy", version: 1, previous_version: 0, active: { version: 1, rows: 2, created_at: "2026-01-01T00:00:00.000Z", note: "" } },
  upload_progress: { upload_id: "u1", name: "faln.csv", bytes_received: 500, bytes_total: 1000, rows_parsed: 20 },
  upload_complete: { upload_id: "u1", dataset_id: "d1", rows: 365, bytes: 1000 },
  upload_error: { upload_id: "u2", error_code: "VALIDATION_ERROR", error: "line 3: tmin_c above tmax_c" },
  dataset_created: { dataset_id: "d1", name: "Fallon", timestep: "daily", rows: 365, start: "2015-01-01", end: "2015-12-31" },
  dataset_updated: { dataset_id: "d1", name: "Fallon", rows: 366, rows_added: 1, end: "2016-01-01" },
  site_created: { site_id: "s1", name: "Field 7", latitude: -22.7, longitude: -47.6, schedule: "06:00" },
  site_updated: { site_id: "s1", name: "Field 7 north", latitude: -22.7, longitude: -47.6, schedule: "07:00" },
  site_deleted: { site_id: "s1", name: "Field 7 north" },
};

// The section each event must change, besides its counter.
const expectedSection: Record<string, Section> = {
  calculation_progress: "tasks",
  calculation_complete: "tasks",
  calculation_error: "tasks",
  calculation_volume: "volume",
  system_stats: "nodes",
  health_change: "health",
  activity: "activity",
  source_status: "sources",
  priors_deployed: "priors",
  upload_progress: "uploads",
  upload_complete: "uploads",
  upload_error: "uploads",
  dataset_created: "datasets",
  dataset_updated: "datasets",
  site_created: "sites",
  site_updated: "sites",
  site_deleted: "sites",
};

function event(name: string, seq: number): OpsEvent {
  const topic = kOpsEvents.find((e) => e.name === name)!.topic;
  return { type: name, topic, seq, ts: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(), node: "node-1", data: samples[name] };
}

const emptyOverview: Overview = {
  seq: 0,
  generated_at: "2026-01-01T00:00:00.000Z",
  node: "node-1",
  nodes: [],
  health: [],
  sources: [],
  activity: [],
  volume: [],
  priors: { active_version: 0, active: { version: 0, rows: 0, created_at: null, note: "" }, versions: [], deployments: [] },
};

describe("the catalog", () => {
  it("is the 17 events on the 8 topics of the issue", () => {
    expect(kOpsEventNames).toHaveLength(17);
    expect(kOpsTopics).toEqual(["calculations", "system", "health", "activity", "sources", "datasets", "sites", "uploads"]);
    expect(Object.keys(samples).sort()).toEqual([...kOpsEventNames].sort());
  });
});

describe("OpsStore", () => {
  it("gives every catalog event a visible effect and a counter", () => {
    const store = new OpsStore();
    store.applySnapshot(emptyOverview);
    let seq = 1;
    for (const name of kOpsEventNames) {
      const touched: Section[] = [];
      const unsubscribe = store.subscribe((sections) => touched.push(...sections));
      store.applyEvents([event(name, seq++)]);
      unsubscribe();
      expect(touched, name).toContain(expectedSection[name]);
      expect(touched, name).toContain("counters");
      expect(store.counters[name], name).toBe(1);
    }
    expect(store.tasks.get("a".repeat(12))?.status).toBe("success");
    expect(store.tasks.get("b".repeat(12))?.error_code).toBe("unavailable");
    expect(store.health.get("source:nasa_power")?.state).toBe("down");
    expect(store.nodes.get("node-1")?.history).toHaveLength(1);
    expect(store.uploads.get("u1")?.state).toBe("done");
    expect(store.uploads.get("u2")?.state).toBe("error");
    expect(store.datasets.get("d1")?.rows).toBe(366);
    expect(store.sites.get("s1")?.deleted).toBe(true);
    expect(store.priors?.active_version).toBe(1);
    expect(store.toasts.length).toBeGreaterThan(0);
  });

  it("keeps 10 minutes of stats per node and the activity newest first without duplicates", () => {
    const store = new OpsStore();
    store.applySnapshot(emptyOverview);
    const at = (minute: number, seq: number): OpsEvent => ({ ...event("system_stats", seq), ts: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString() });
    store.applyEvents([at(0, 1), at(5, 2), at(11, 3)]);
    expect(store.nodes.get("node-1")?.history.map((p) => p.ts)).toEqual([at(5, 2).ts, at(11, 3).ts]);
    store.applyEvents([event("activity", 10), event("activity", 11), event("activity", 10)]);
    expect(store.activity.map((e) => e.seq)).toEqual([11, 10]);
  });

  it("shows no toast for what the snapshot already covers", () => {
    const store = new OpsStore();
    store.applySnapshot({ ...emptyOverview, seq: 50 });
    store.applyEvents([event("health_change", 40)]);
    expect(store.toasts).toHaveLength(0);
    store.applyEvents([event("health_change", 51)]);
    expect(store.toasts).toHaveLength(1);
  });
});
