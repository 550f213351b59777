// Entry point: the routes (a table: add a page by adding a row), the task store, the modal, the
// tray and the map markers. The tray's tasks and the one on screen are saved on every change and
// restored on load; the chosen point is shared by every page. Station data (/datasets), monitored
// sites (/sites) and operations (/ops, a chunk loaded when first shown) are pages like the others.
import "./style.css";
import * as api from "./api";
import { initialLocale, locale, onLocaleChange, setLocale, t, type MessageKey } from "./i18n/i18n";
import { browserStorage, SavedTaskList } from "./live/saved_tasks";
import type { SocketLike } from "./live/task_connection";
import { TaskStore } from "./live/task_store";
import type { CalculationRequest } from "./protocol";
import { createDatasetsPage } from "./datasets/datasets_page";
import { createLazyOpsPage } from "./ops/lazy_ops_page";
import { createSitesPage } from "./sites/sites_page";
import { PointStore, tabStorage } from "./selected_point";
import { createAboutPage } from "./ui/about_page";
import { applyTranslations, bindText, h } from "./ui/dom";
import { createLanguageSelect } from "./ui/language_select";
import { createMapPage, type SubmitProblem } from "./ui/map_page";
import { createNotFoundPage } from "./ui/not_found_page";
import { createPeriodPage } from "./ui/period_page";
import { createResultModal } from "./ui/result_modal";
import { createTaskTray } from "./ui/task_tray";
import { TaskPanel } from "./ui/task_panel";
import { Workspace } from "./workspace/workspace";
import { formatCoordinates } from "./format";

interface Page {
  element: HTMLElement;
  /// The route was shown (again: its path or query may have changed).
  activate?(): void;
  /// Another route is shown now.
  deactivate?(): void;
  translate?(): void;
}

interface RouteDef {
  name: string;
  path: string;
  /// Also serves the paths under it (/datasets/<id>).
  prefix?: boolean;
  /// Shown in the top bar, with this label.
  nav: MessageKey | null;
  page: Page;
}

function start(): void {
  setLocale(initialLocale());
  const store = new TaskStore({
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    socketUrl: (id, since) => api.taskSocketUrl(id, since),
    fetchTask: api.fetchTask,
    now: () => Date.now(),
  });
  const points = new PointStore(tabStorage());
  const savedTasks = new SavedTaskList(browserStorage());
  const saved = savedTasks.load();
  const saveTasks = (): void => savedTasks.save(store.all(), panel.shownTaskId);
  const info = api.serverInfo();
  let version = "";
  void info.then((i) => (version = i.version));

  const panel = new TaskPanel(store, {
    retry: (record) => void submit(record.request, () => document.getElementById("retry-btn"), record.place_name),
    cancel: (record) => void api.cancelTask(record.id),
    shownChanged: () => saveTasks(),
    version: () => version,
    monitor: (record) => navigate(`/sites?latitude=${record.request.latitude}&longitude=${record.request.longitude}`),
  });
  const modal = createResultModal(panel);

  const submit = async (
    request: CalculationRequest,
    opener: () => HTMLElement | null,
    placeName = points.get()?.name ?? "",
  ): Promise<SubmitProblem | null> => {
    const result = await api.submitCalculation(request);
    if (!result.ok) {
      if (result.status === 0) return { code: "network", text: t("calc.submit_failed", { message: t("error.network") }) };
      if (result.code === "over_sea") return { code: "over_sea", text: t("sea.refused") };
      if (result.status === 429) return { code: "rate_limited", text: t("error.rate_limited") };
      const details = result.details.map((d) => `${d.field}: ${d.reason}`).join("; ");
      return { code: result.code, text: t("validation.server", { message: details || result.message }) };
    }
    store.add(result.value.task_id, request, placeName);
    showTask(result.value.task_id, opener);
    return null;
  };

  const navigate = (path: string): void => {
    if (path === window.location.pathname + window.location.search) return;
    history.pushState({}, "", path);
    show();
    main.focus({ preventScroll: true });
  };

  const mapPage = createMapPage({
    points,
    submit,
    search: (name, language, signal) => info.then((i) => (i.placeSearch ? api.searchPlaces(name, language, signal) : Promise.reject(new Error("no search")))),
    lookupElevation: async (latitude, longitude) => ((await info).elevation ? api.fetchElevation(latitude, longitude) : null),
    openTask: (id) => showTask(id, () => document.getElementById("map")),
    navigate,
  });
  const periodPage = createPeriodPage(points, submit);
  const workspace = new Workspace();
  const datasetsPage = createDatasetsPage(workspace, navigate);
  const sitesPage = createSitesPage(workspace);
  const opsPage = createLazyOpsPage();
  const routes: RouteDef[] = [
    { name: "map", path: "/", nav: "nav.map", page: mapPage },
    { name: "period", path: "/eto", nav: "nav.period", page: periodPage },
    {
      name: "datasets",
      path: "/datasets",
      prefix: true,
      nav: "nav.datasets",
      page: { element: datasetsPage.element, activate: () => datasetsPage.activate(window.location.pathname), translate: () => datasetsPage.translate() },
    },
    {
      name: "sites",
      path: "/sites",
      nav: "nav.sites",
      page: { element: sitesPage.element, activate: () => sitesPage.activate(window.location.search), translate: () => sitesPage.translate() },
    },
    {
      name: "ops",
      path: "/ops",
      nav: "nav.ops",
      page: { element: opsPage.element, activate: () => opsPage.show(true), deactivate: () => opsPage.show(false), translate: () => opsPage.translate() },
    },
    { name: "about", path: "/about", nav: "nav.about", page: createAboutPage() },
  ];
  const notFound: RouteDef = { name: "notfound", path: "", nav: null, page: createNotFoundPage(navigate) };
  const routeOf = (pathname: string): RouteDef => {
    const path = pathname.replace(/\/+$/, "") || "/";
    return routes.find((r) => r.path === path || (r.prefix === true && path.startsWith(`${r.path}/`))) ?? notFound;
  };
  let route = routeOf(window.location.pathname);

  const tray = createTaskTray(store, (id, opener) => showTask(id, opener));
  const sideColumn = h("aside", { class: "side-column", "aria-labelledby": "tray-heading" });

  function showTask(id: string, opener?: () => HTMLElement | null): void {
    if (route.name === "period") {
      if (panel.element.parentElement !== periodPage.panelHost) periodPage.panelHost.append(panel.element);
      panel.show(id);
      panel.element.scrollIntoView({ block: "nearest" });
    } else {
      modal.open(id, opener);
    }
  }

  const hideTask = (): void => {
    if (modal.isOpen()) modal.close();
    panel.hide();
    panel.element.remove();
  };

  const updateMarkers = (): void => {
    mapPage.setTaskMarkers(
      store.all().map((record) => ({
        id: record.id,
        latitude: record.request.latitude,
        longitude: record.request.longitude,
        status: record.status,
        label: `${record.place_name || formatCoordinates(locale(), record.request.latitude, record.request.longitude)} · ${t(
          `status.${record.status}` as MessageKey,
        )}`,
      })),
    );
  };

  store.subscribe((id) => {
    tray.render();
    updateMarkers();
    saveTasks();
    const record = store.get(id);
    // A task restored from an earlier page that the server no longer knows was removed.
    if (!record && panel.shownTaskId === id) hideTask();
    const location = record?.result?.location;
    if (record && location && typeof location.elevation_m === "number") {
      points.amend(record.request.latitude, record.request.longitude, { elevation_m: location.elevation_m }, "result");
    }
  });

  const links = routes
    .filter((r) => r.nav !== null)
    .map((r) => {
      const link = bindText(h("a", { href: r.path, "data-route": r.name }), r.nav as MessageKey);
      link.addEventListener("click", (event) => {
        if (event.ctrlKey || event.metaKey || event.shiftKey) return;
        event.preventDefault();
        navigate(r.path);
      });
      return link;
    });
  const brand = h("a", { href: "/", class: "brand" }, bindText(h("span", {}), "app.brand"));
  brand.addEventListener("click", (event) => {
    event.preventDefault();
    navigate("/");
  });
  const nav = h(
    "header",
    { class: "topbar" },
    bindText(h("a", { href: "#main", class: "skip-link" }), "nav.skip"),
    brand,
    h("nav", { "data-i18n-attr": "aria-label:nav.main", "aria-label": t("nav.main") }, ...links),
    createLanguageSelect("language-switcher"),
  );
  const main = h("main", { id: "main", tabindex: -1 }, ...routes.map((r) => r.page.element), notFound.page.element);
  const app = document.getElementById("app") ?? document.body;
  app.replaceChildren(nav, h("div", { class: "layout" }, main, sideColumn), modal.element);

  function show(): void {
    const previous = route;
    route = routeOf(window.location.pathname);
    if (previous !== route) previous.page.deactivate?.();
    for (const r of [...routes, notFound]) r.page.element.hidden = r !== route;
    for (const link of links) {
      if (link.dataset.route === route.name) {
        link.setAttribute("aria-current", "page");
        // On a phone the bar's links scroll sideways: the current one is brought into view.
        const bar = link.parentElement;
        bar?.scrollTo({ left: link.offsetLeft - bar.offsetLeft - 8 });
      } else {
        link.removeAttribute("aria-current");
      }
    }
    document.body.dataset.route = route.name;
    // The tray rides in the map's panel on the map, in the side column elsewhere.
    const trayHost = route.name === "map" ? mapPage.trayHost : sideColumn;
    if (tray.element.parentElement !== trayHost) trayHost.append(tray.element);
    sideColumn.hidden = route.name === "map";
    route.page.activate?.();
    if (route.name !== "period" && panel.element.parentElement === periodPage.panelHost) {
      panel.hide();
      panel.element.remove();
    }
    if (route.name !== "map" && modal.isOpen()) modal.close();
    document.title = route === notFound ? `${t("notfound.heading")} · ${t("app.title")}` : t("app.title");
  }
  window.addEventListener("popstate", show);

  onLocaleChange(() => {
    applyTranslations(document);
    mapPage.translate();
    periodPage.translate();
    for (const r of routes) r.page.translate?.();
    modal.translate();
    panel.translate();
    tray.render();
    updateMarkers();
    document.title = route === notFound ? `${t("notfound.heading")} · ${t("app.title")}` : t("app.title");
  });
  show();
  store.restore(saved.tasks);
  if (saved.shown_id !== null && (route.name === "map" || route.name === "period")) showTask(saved.shown_id);
  // The page is usable from here (the map's tiles arrive on their own); the e2e run measures it.
  performance.mark("evapo:ready");
}

start();
