// The operations page's read-only sections, each drawn from the store into its own container:
// node cards, health board, calculation volume, weather sources, activity feed, uploads,
// datasets, sites, event counters and toasts.
import { formatCoordinates, formatNumber } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { h } from "../ui/dom";
import { kOpsEventNames } from "./catalog";
import { formatBytes, formatShare, formatTime } from "./ops_format";
import type { OpsStore } from "./ops_store";
import type { ActivityData, ComponentHealth, OpsEvent, VolumeCounts } from "./protocol";
import { sparkline } from "./sparkline";

/// Message `key` (built from codes the server sends) when there is one, else `fallback`.
function tOr(key: string, fallback: MessageKey, params: Record<string, string | number> = {}): string {
  const text = t(key as MessageKey, params);
  return text === key ? t(fallback, params) : text;
}

function row(label: MessageKey, value: string, name: string): HTMLElement {
  return h("div", { class: "node-stat", "data-stat": name }, h("dt", {}, t(label)), h("dd", {}, value));
}

export function renderNodes(store: OpsStore, host: HTMLElement): void {
  const lang = locale();
  if (store.nodes.size === 0) {
    host.replaceChildren(h("p", { class: "muted" }, t("ops.nodes.none")));
    return;
  }
  host.replaceChildren(
    ...[...store.nodes.values()].map((view) => {
      const s = view.stats;
      const pct = (value: number | undefined): string => formatNumber(lang, value ?? null, 1);
      const stats = s
        ? h(
            "dl",
            { class: "node-stats" },
            row("ops.nodes.cpu", t("ops.nodes.cpu_value", { process: pct(s.process_cpu_pct), machine: pct(s.machine_cpu_pct) }), "cpu"),
            row("ops.nodes.memory", t("ops.nodes.memory_value", { rss: formatBytes(lang, s.rss_bytes), available: formatBytes(lang, s.memory_available_bytes), total: formatBytes(lang, s.memory_total_bytes) }), "memory"),
            row("ops.nodes.disk", t("ops.nodes.disk_value", { free: formatBytes(lang, s.disk_free_bytes), total: formatBytes(lang, s.disk_total_bytes) }), "disk"),
            row("ops.nodes.load", formatNumber(lang, s.load_1 ?? null, 2), "load"),
            row("ops.nodes.queue", String(s.queue_depth ?? "—"), "queue"),
            row("ops.nodes.running", String(s.running_tasks ?? "—"), "running"),
            row("ops.nodes.connections", t("ops.nodes.connections_value", { websockets: s.websocket_connections, sse: s.sse_connections }), "connections"),
            row("ops.nodes.upstream", t("ops.nodes.per_second", { value: formatNumber(lang, s.upstream_requests_per_s, 1) }), "upstream"),
          )
        : h("p", { class: "muted" }, t("ops.nodes.none"));
      const history = view.history;
      return h(
        "article",
        { class: "ops-card node-card", "data-node": view.node },
        h("h3", {}, view.node),
        stats,
        h(
          "div",
          { class: "charts", "aria-label": t("ops.nodes.history") },
          h("figure", {}, sparkline(history.map((p) => p.machine_cpu_pct), t("ops.nodes.chart_cpu"), { fromZero: true, max: 100 }), h("figcaption", {}, t("ops.nodes.cpu"))),
          h("figure", {}, sparkline(history.map((p) => p.rss_bytes), t("ops.nodes.chart_memory"), { fromZero: true }), h("figcaption", {}, t("ops.nodes.memory"))),
          h("figure", {}, sparkline(history.map((p) => p.disk_free_bytes), t("ops.nodes.chart_disk")), h("figcaption", {}, t("ops.nodes.disk"))),
        ),
      );
    }),
  );
}

function healthReason(component: ComponentHealth): string {
  const d = component.detail ?? {};
  const lang = locale();
  const params: Record<string, string | number> = {
    pct: formatNumber(lang, typeof d.failed_share === "number" ? d.failed_share * 100 : null, 0),
    attempts: typeof d.attempts === "number" ? d.attempts : 0,
    depth: typeof d.depth === "number" ? d.depth : 0,
    time: formatTime(lang, typeof d.last_beat === "string" ? d.last_beat : null),
  };
  return tOr(`ops.health.reason.${component.reason}`, "ops.none", params);
}

export function renderHealth(store: OpsStore, host: HTMLElement): void {
  const components = [...store.health.values()].sort((a, b) => (a.kind + a.name).localeCompare(b.kind + b.name));
  if (components.length === 0) {
    host.replaceChildren(h("p", { class: "muted" }, t("ops.health.none")));
    return;
  }
  host.replaceChildren(
    h(
      "ul",
      { class: "health-board" },
      ...components.map((c) =>
        h(
          "li",
          { "data-component": `${c.kind}:${c.name}`, "data-state": c.state },
          h("span", { class: "health-dot", "aria-hidden": "true" }),
          h("span", { class: "health-name" }, `${tOr(`ops.health.kind.${c.kind}`, "ops.none")} · ${c.name}`),
          h("span", { class: "badge health-state", "data-status": c.state }, t(`ops.health.state.${c.state}` as MessageKey)),
          h("span", { class: "health-detail" }, `${healthReason(c)} · ${t("ops.health.since", { time: formatTime(locale(), c.since) })}`),
        ),
      ),
    ),
  );
}

function volumeRow(label: MessageKey, counts: VolumeCounts | undefined, window: string): HTMLElement {
  const lang = locale();
  const cell = (value: number | undefined, name: string) => h("td", { "data-count": name }, String(value ?? 0));
  return h(
    "tr",
    { "data-window": window },
    h("th", { scope: "row" }, t(label)),
    cell(counts?.started, "started"),
    cell(counts?.succeeded, "succeeded"),
    cell(counts?.failed, "failed"),
    cell(counts?.cancelled, "cancelled"),
    cell(counts?.days, "days"),
    h("td", { "data-count": "cache" }, formatShare(lang, counts?.cache_hit_ratio ?? null)),
  );
}

export function renderVolume(store: OpsStore, host: HTMLElement): void {
  const header = h(
    "tr",
    {},
    ...(["ops.volume.window", "ops.volume.started", "ops.volume.succeeded", "ops.volume.failed", "ops.volume.cancelled", "ops.volume.days", "ops.volume.cache"] as MessageKey[]).map((key) => h("th", { scope: "col" }, t(key))),
  );
  host.replaceChildren(
    ...[...store.volume.entries()].map(([node, volume]) =>
      h(
        "div",
        { class: "table-scroll", "data-node": node, tabindex: 0, role: "group", "aria-label": `${t("ops.volume.title")} ${node}` },
        h("table", { class: "ops-table" }, h("caption", {}, node), h("thead", {}, header.cloneNode(true)), h("tbody", {}, volumeRow("ops.volume.minute", volume.minute, "minute"), volumeRow("ops.volume.hour", volume.hour, "hour"))),
      ),
    ),
  );
}

export function renderSources(store: OpsStore, host: HTMLElement): void {
  const lang = locale();
  const ms = (value: number | null) => (value === null ? "—" : `${formatNumber(lang, value, 0)} ms`);
  host.replaceChildren(
    h(
      "div",
      { class: "table-scroll", tabindex: 0, role: "group", "aria-label": t("ops.sources.title") },
      h(
        "table",
        { class: "ops-table" },
        h("thead", {}, h("tr", {}, ...(["ops.sources.source", "ops.sources.enabled", "ops.sources.health", "ops.sources.latency", "ops.sources.errors", "ops.sources.retries", "ops.sources.waits"] as MessageKey[]).map((key) => h("th", { scope: "col" }, t(key))))),
        h(
          "tbody",
          {},
          ...[...store.sources.values()].map((s) =>
            h(
              "tr",
              { "data-source": s.source, "data-health": s.health },
              h("th", { scope: "row" }, s.source),
              h("td", {}, t(s.enabled ? "ops.sources.yes" : "ops.sources.no")),
              h("td", {}, h("span", { class: "badge", "data-status": s.health }, t(`ops.health.state.${s.health}` as MessageKey))),
              h("td", { "data-latency": "" }, `${ms(s.latency_p50_ms)} / ${ms(s.latency_p95_ms)}`),
              h("td", { "data-error-rate": "" }, formatShare(lang, s.error_rate)),
              h("td", {}, String(s.retries)),
              h("td", {}, String(s.rate_limit_waits)),
            ),
          ),
        ),
      ),
    ),
  );
}

export function activityText(event: OpsEvent<ActivityData>): string {
  const d = event.data;
  const p = d.params ?? {};
  const lang = locale();
  const numberOf = (value: unknown, digits: number) => formatNumber(lang, typeof value === "number" ? value : null, digits);
  const place = typeof p.latitude === "number" && typeof p.longitude === "number" ? formatCoordinates(lang, p.latitude, p.longitude) : d.subject.slice(0, 8);
  const params: Record<string, string | number> = {
    subject: d.subject.startsWith("source:") || d.subject.startsWith("worker:") || d.subject.includes(":") ? d.subject.split(":").slice(1).join(":") : d.subject.length === 32 ? d.subject.slice(0, 8) : d.subject,
    place,
    days: numberOf(p.days, 0),
    eto: numberOf(p.eto_mean_mm, 2),
    code: String(p.error_code ?? ""),
    version: String(p.version ?? ""),
    rerun_of: typeof p.rerun_of === "string" ? p.rerun_of.slice(0, 8) : "",
    kind: d.kind,
    action: d.action,
  };
  return tOr(`ops.activity.${d.kind}.${d.action}`, "ops.activity.other", params);
}

export function renderActivity(store: OpsStore, host: HTMLElement, kind: string): void {
  const items = store.activity.filter((event) => !kind || event.data.kind === kind).slice(0, 50);
  if (items.length === 0) {
    host.replaceChildren(h("p", { class: "muted" }, t("ops.activity.none")));
    return;
  }
  host.replaceChildren(
    h(
      "ol",
      // Scrollable, so reachable by keyboard.
      { class: "activity-feed", tabindex: 0, "aria-label": t("ops.activity.title") },
      ...items.map((event) =>
        h(
          "li",
          { "data-seq": event.seq, "data-kind": event.data.kind, "data-action": event.data.action },
          h("time", { datetime: event.ts }, formatTime(locale(), event.ts)),
          h("span", { class: "activity-text" }, activityText(event)),
          h("span", { class: "activity-node" }, event.node),
        ),
      ),
    ),
  );
}

export function renderUploads(store: OpsStore, host: HTMLElement): void {
  const lang = locale();
  const uploads = [...store.uploads.values()];
  if (uploads.length === 0) {
    host.replaceChildren(h("p", { class: "muted" }, t("ops.uploads.none")));
    return;
  }
  host.replaceChildren(
    h(
      "ul",
      { class: "plain-list" },
      ...uploads.map((u) => {
        const share = u.bytes_total ? Math.min(1, u.bytes_received / u.bytes_total) : u.state === "done" ? 1 : 0;
        const text =
          u.state === "done" ? t("ops.uploads.done", { rows: u.rows_parsed }) : u.state === "error" ? t("ops.uploads.failed", { error: u.error ?? "" }) : t("ops.uploads.progress", { received: formatBytes(lang, u.bytes_received), rows: u.rows_parsed });
        return h(
          "li",
          { "data-upload": u.upload_id, "data-state": u.state, title: u.error_detail ?? "" },
          h("span", {}, u.name),
          h("progress", { max: 100, value: Math.round(share * 100) }),
          h("span", {}, text),
        );
      }),
    ),
  );
}

export function renderDatasets(store: OpsStore, host: HTMLElement): void {
  const datasets = [...store.datasets.values()];
  host.replaceChildren(
    datasets.length === 0
      ? h("p", { class: "muted" }, t("ops.datasets.none"))
      : h("ul", { class: "plain-list" }, ...datasets.map((d) => h("li", { "data-dataset": d.dataset_id }, t("ops.datasets.item", { name: d.name, rows: d.rows }), d.updated ? h("span", { class: "badge" }, t("ops.datasets.updated")) : null))),
  );
}

export function renderSites(store: OpsStore, host: HTMLElement): void {
  const sites = [...store.sites.values()];
  host.replaceChildren(
    sites.length === 0
      ? h("p", { class: "muted" }, t("ops.sites.none"))
      : h(
          "ul",
          { class: "plain-list" },
          ...sites.map((s) =>
            h(
              "li",
              { "data-site": s.site_id, "data-deleted": s.deleted ? "true" : "false" },
              s.name,
              s.latitude !== undefined && s.longitude !== undefined ? ` · ${formatCoordinates(locale(), s.latitude, s.longitude)}` : "",
              s.deleted ? h("span", { class: "badge" }, t("ops.sites.deleted")) : null,
            ),
          ),
        ),
  );
}

export function renderCounters(store: OpsStore, host: HTMLElement): void {
  host.replaceChildren(
    h(
      "dl",
      { class: "counters" },
      ...kOpsEventNames.map((name) => h("div", { class: "counter", "data-counter": name, "data-count": store.counters[name] }, h("dt", {}, name), h("dd", {}, String(store.counters[name])))),
    ),
  );
}

export function renderToasts(store: OpsStore, host: HTMLElement): void {
  host.replaceChildren(
    ...store.toasts.map((toast) =>
      h(
        "div",
        { class: "toast", "data-tone": toast.tone, "data-event": toast.event, role: "status" },
        h("span", {}, t(toast.key, { ...toast.params, ...Object.fromEntries(Object.entries(toast.translated).map(([name, prefix]) => [name, t(`${prefix}${toast.params[name]}` as MessageKey)])) })),
        h("button", { type: "button", class: "link", "aria-label": t("ops.toast.close"), onclick: () => store.dismissToast(toast.id) }, "×"),
      ),
    ),
  );
}
