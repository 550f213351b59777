// The operations page (/ops): loads the overview snapshot, then follows the channel from its seq;
// a connection banner says live / reconnecting (attempt n, next try in s) / offline; a reset
// reloads the snapshot. Every catalog event has a visible effect (a card, a row, a badge, a
// toast, and its counter). Loaded on demand by main.ts.
import "./ops.css";
import { t, type MessageKey } from "../i18n/i18n";
import type { SocketLike } from "../live/task_connection";
import { applyTranslations, bindAttrs, bindText, h } from "../ui/dom";
import { loadAdminToken, saveAdminToken } from "./admin_token";
import { fetchOverview } from "./ops_api";
import { OpsConnection, opsSocketUrl, type OpsConnectionState } from "./ops_connection";
import { createPriorsView } from "./ops_priors";
import {
  renderActivity,
  renderCounters,
  renderDatasets,
  renderHealth,
  renderNodes,
  renderSites,
  renderSources,
  renderToasts,
  renderUploads,
  renderVolume,
} from "./ops_sections";
import { OpsStore, type Section } from "./ops_store";
import { createTasksView } from "./ops_tasks";

export interface OpsPage {
  element: HTMLElement;
  activate(): void;
  deactivate(): void;
  translate(): void;
}

const kActivityKinds = ["calculation", "health", "priors", "task", "node", "dataset", "site", "upload"];

function card(id: string, heading: MessageKey, body: HTMLElement, wide = false): HTMLElement {
  return h(
    "section",
    { class: wide ? "ops-card wide" : "ops-card", id, "aria-labelledby": `${id}-heading` },
    bindText(h("h2", { id: `${id}-heading` }), heading),
    body,
  );
}

export function createOpsPage(): OpsPage {
  const store = new OpsStore();
  let token = loadAdminToken();

  const banner = h("p", { id: "ops-connection", role: "status", "data-state": "connecting" });
  const loadError = h("p", { id: "ops-load-error", class: "form-error", "aria-live": "polite" });
  const toasts = h("div", { id: "ops-toasts", class: "toasts", "aria-live": "polite" });

  const tokenInput = bindAttrs(h("input", { id: "ops-admin-token", type: "password", autocomplete: "off" }), { "aria-label": "ops.admin.label" });
  const tokenState = h("p", { id: "ops-admin-state", class: "muted" });
  const showTokenState = () => (tokenState.textContent = t(token ? "ops.admin.saved" : "ops.admin.none"));
  const admin = h(
    "details",
    { class: "ops-admin" },
    bindText(h("summary", {}), "ops.admin.summary"),
    h("label", { class: "field" }, bindText(h("span", {}), "ops.admin.label"), tokenInput),
    h(
      "div",
      { class: "button-row" },
      bindText(h("button", { type: "button", class: "secondary", id: "ops-admin-save", onclick: () => { token = tokenInput.value.trim(); saveAdminToken(token); tokenInput.value = ""; showTokenState(); void tasks.reload(); } }), "ops.admin.save"),
      bindText(h("button", { type: "button", class: "link", onclick: () => { token = ""; saveAdminToken(""); showTokenState(); } }), "ops.admin.clear"),
    ),
    tokenState,
    bindText(h("p", { class: "muted" }), "ops.admin.help"),
  );

  const nodes = h("div", { id: "ops-nodes", class: "node-cards" });
  const health = h("div", { id: "ops-health-board" });
  const volume = h("div", { id: "ops-volume-tables" });
  const sources = h("div", { id: "ops-sources-table" });
  const activityFilter = h("select", { id: "ops-activity-filter" }, bindText(h("option", { value: "" }), "ops.activity.all"), ...kActivityKinds.map((kind) => bindText(h("option", { value: kind }), `ops.activity.kind.${kind}` as MessageKey)));
  const activity = h("div", { id: "ops-activity-feed" });
  const uploads = h("div", { id: "ops-uploads-list" });
  const datasets = h("div", { id: "ops-datasets-list" });
  const sites = h("div", { id: "ops-sites-list" });
  const counters = h("div", { id: "ops-counters-list" });
  const priors = createPriorsView(store, () => token);
  const tasks = createTasksView(store, () => token);

  const element = h(
    "div",
    { class: "page ops-page", id: "ops-page" },
    h("div", { class: "ops-head" }, h("div", {}, bindText(h("h1", {}), "ops.title"), bindText(h("p", { class: "muted" }), "ops.intro")), banner),
    loadError,
    toasts,
    admin,
    h(
      "div",
      { class: "ops-grid" },
      card("ops-nodes-card", "ops.nodes.title", nodes, true),
      card("ops-health", "ops.health.title", health),
      card("ops-activity", "ops.activity.title", h("div", {}, h("label", { class: "field inline" }, bindText(h("span", {}), "ops.activity.filter"), activityFilter), activity)),
      card("ops-volume", "ops.volume.title", volume, true),
      card("ops-sources", "ops.sources.title", sources, true),
      priors.element,
      tasks.element,
      card("ops-uploads", "ops.uploads.title", uploads),
      card("ops-datasets", "ops.datasets.title", datasets),
      card("ops-sites", "ops.sites.title", sites),
      card("ops-counters", "ops.counters.title", counters, true),
    ),
  );

  const renderers: Record<Section, () => void> = {
    nodes: () => renderNodes(store, nodes),
    health: () => renderHealth(store, health),
    sources: () => renderSources(store, sources),
    activity: () => renderActivity(store, activity, activityFilter.value),
    volume: () => renderVolume(store, volume),
    priors: () => priors.render(),
    tasks: () => tasks.render(),
    counters: () => renderCounters(store, counters),
    uploads: () => renderUploads(store, uploads),
    datasets: () => renderDatasets(store, datasets),
    sites: () => renderSites(store, sites),
    toasts: () => renderToasts(store, toasts),
  };
  let rowsReload: ReturnType<typeof setTimeout> | null = null;
  const renderAll = () => Object.values(renderers).forEach((render) => render());
  store.subscribe((sections) => {
    for (const section of sections) renderers[section]();
    // A deployment seen on the channel: the list of versions is read again; a task first seen
    // on the channel: its row is read (at most twice a second).
    if (store.takePriorsStale()) void priors.refresh();
    if (store.takeUnknownTasks() && rowsReload === null) {
      rowsReload = setTimeout(() => {
        rowsReload = null;
        void tasks.reload();
      }, 500);
    }
  });
  activityFilter.addEventListener("change", renderers.activity);

  let state: OpsConnectionState = { kind: "connecting" };
  const showBanner = (): void => {
    banner.dataset.state = state.kind;
    if (state.kind === "reconnecting") {
      banner.dataset.attempt = String(state.attempt);
      const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
      banner.textContent = t("ops.connection.reconnecting", { attempt: state.attempt, seconds });
    } else {
      delete banner.dataset.attempt;
      banner.textContent = t(`ops.connection.${state.kind}`);
    }
  };

  let loading: Promise<boolean> | null = null;
  const loadSnapshot = (): Promise<boolean> => {
    loading ??= (async () => {
      const result = await fetchOverview();
      loading = null;
      if (!result.ok) {
        loadError.textContent = t("ops.error.load", { message: result.message });
        return false;
      }
      loadError.textContent = "";
      store.applySnapshot(result.value);
      connection.coveredUpTo(result.value.seq);
      void tasks.reload();
      void priors.refresh();
      return true;
    })();
    return loading;
  };

  const connection = new OpsConnection({
    socketUrl: (since) => opsSocketUrl(since),
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    onEvents: (events) => store.applyEvents(events),
    onReset: () => void loadSnapshot(),
    onState: (next) => {
      const wasLive = state.kind === "live";
      state = next;
      showBanner();
      // Back after an outage: tasks may have changed while no event could arrive.
      if (next.kind === "live" && !wasLive && store.snapshotSeq > 0) void tasks.reload();
    },
    isOnline: () => navigator.onLine,
  });

  let ticker: ReturnType<typeof setInterval> | null = null;
  let started = false;
  const online = () => connection.retryNow();
  const start = async (): Promise<void> => {
    while (started && !(await loadSnapshot())) await new Promise((r) => setTimeout(r, 2000));
    if (started) connection.start(store.snapshotSeq);
  };

  showBanner();
  showTokenState();
  renderAll();
  return {
    element,
    activate() {
      if (started) return;
      started = true;
      window.addEventListener("online", online);
      ticker = setInterval(() => state.kind === "reconnecting" && showBanner(), 250);
      void start();
    },
    deactivate() {
      started = false;
      window.removeEventListener("online", online);
      if (ticker !== null) clearInterval(ticker);
      ticker = null;
      connection.stop();
    },
    translate() {
      applyTranslations(element);
      tasks.clearFeedback();
      priors.clearMessage();
      showBanner();
      showTokenState();
      renderAll();
    },
  };
}
