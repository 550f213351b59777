// Entry point: navigation, routes (/, /eto, /datasets, /sites, /about, /ops), the task store, the
// modal and the tray.
// The tray's tasks and the one on screen are saved on every change and restored on load.
import "./style.css";
import * as api from "./api";
import { initialLocale, kLocales, locale, onLocaleChange, setLocale, t, isLocale } from "./i18n/i18n";
import { browserStorage, SavedTaskList } from "./live/saved_tasks";
import type { SocketLike } from "./live/task_connection";
import { TaskStore } from "./live/task_store";
import type { CalculationRequest } from "./protocol";
import { createDatasetsPage } from "./datasets/datasets_page";
import { createSitesPage } from "./sites/sites_page";
import { createLazyOpsPage } from "./ops/lazy_ops_page";
import { createAboutPage } from "./ui/about_page";
import { applyTranslations, bindText, h } from "./ui/dom";
import { createMapPage } from "./ui/map_page";
import { createPeriodPage } from "./ui/period_page";
import { createResultModal } from "./ui/result_modal";
import { createTaskTray } from "./ui/task_tray";
import { TaskPanel } from "./ui/task_panel";
import { Workspace } from "./workspace/workspace";

type Route = "map" | "period" | "datasets" | "sites" | "about" | "ops";
const kPaths: Record<Route, string> = { map: "/", period: "/eto", datasets: "/datasets", sites: "/sites", about: "/about", ops: "/ops" };

function routeOf(pathname: string): Route {
  if (pathname.startsWith("/eto")) return "period";
  if (pathname.startsWith("/datasets")) return "datasets";
  if (pathname.startsWith("/sites")) return "sites";
  if (pathname.startsWith("/about")) return "about";
  if (pathname.startsWith("/ops")) return "ops";
  return "map";
}

function start(): void {
  setLocale(initialLocale());
  const store = new TaskStore({
    openSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    socketUrl: (id, since) => api.taskSocketUrl(id, since),
    fetchTask: api.fetchTask,
    now: () => Date.now(),
  });
  const savedTasks = new SavedTaskList(browserStorage());
  const saved = savedTasks.load();
  const saveTasks = (): void => savedTasks.save(store.all(), panel.shownTaskId);

  let route: Route = routeOf(window.location.pathname);
  const panel = new TaskPanel(store, {
    retry: (record) => void submit(record.request),
    cancel: (record) => void api.cancelTask(record.id),
    shownChanged: () => saveTasks(),
    monitor: (record) =>
      navigatePath(`/sites?latitude=${record.request.latitude}&longitude=${record.request.longitude}`),
  });
  const modal = createResultModal(panel);

  const showTask = (id: string): void => {
    if (route === "period") {
      if (panel.element.parentElement !== periodPage.panelHost) periodPage.panelHost.append(panel.element);
      panel.show(id);
      panel.element.scrollIntoView({ block: "nearest" });
    } else {
      modal.open(id);
    }
  };

  const submit = async (request: CalculationRequest): Promise<string | null> => {
    const result = await api.submitCalculation(request);
    if (!result.ok) {
      if (result.status === 0) return t("calc.submit_failed", { message: t("error.network") });
      const details = result.details.map((d) => `${d.field}: ${d.reason}`).join("; ");
      return t("validation.server", { message: details || result.message });
    }
    store.add(result.value.task_id, request);
    showTask(result.value.task_id);
    return null;
  };

  const hasElevation = api.serverHasElevation();
  const mapPage = createMapPage(submit, async (latitude, longitude) =>
    (await hasElevation) ? api.fetchElevation(latitude, longitude) : null,
  );
  const periodPage = createPeriodPage(submit);
  const aboutPage = createAboutPage();
  const workspace = new Workspace();
  const datasetsPage = createDatasetsPage(workspace, (path) => navigatePath(path));
  const sitesPage = createSitesPage(workspace);
  const tray = createTaskTray(store, showTask);

  const hideTask = (): void => {
    if (modal.isOpen()) modal.close();
    panel.hide();
    panel.element.remove();
  };

  store.subscribe((id) => {
    tray.render();
    saveTasks();
    const record = store.get(id);
    // A task restored from an earlier page that the server no longer knows was removed.
    if (!record && panel.shownTaskId === id) hideTask();
    const location = record?.result?.location;
    if (record && location && typeof location.elevation_m === "number") {
      mapPage.setElevation(record.request.latitude, record.request.longitude, location.elevation_m);
    }
  });

  const switcher = h("select", { id: "language-switcher" });
  for (const code of kLocales) switcher.append(bindText(h("option", { value: code }), `lang.${code}`));
  switcher.value = locale();
  switcher.addEventListener("change", () => {
    if (isLocale(switcher.value)) setLocale(switcher.value);
  });

  const links = (Object.keys(kPaths) as Route[]).map((r) => {
    const link = bindText(h("a", { href: kPaths[r], "data-route": r }), `nav.${r}` as "nav.map");
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey) return;
      event.preventDefault();
      navigate(r);
    });
    return link;
  });
  const nav = h(
    "header",
    { class: "topbar" },
    bindText(h("a", { href: "#main", class: "skip-link" }), "nav.skip"),
    h("a", { href: "/", class: "brand", onclick: (e: Event) => (e.preventDefault(), navigate("map")) }, bindText(h("span", {}), "app.brand")),
    h("nav", { "data-i18n-attr": "aria-label:nav.main", "aria-label": t("nav.main") }, ...links),
    h("label", { class: "language" }, bindText(h("span", { class: "visually-hidden" }), "nav.language"), switcher),
  );
  const opsPage = createLazyOpsPage();
  const main = h("main", { id: "main", tabindex: -1 }, mapPage.element, periodPage.element, datasetsPage.element, sitesPage.element, aboutPage.element, opsPage.element);
  const app = document.getElementById("app") ?? document.body;
  app.replaceChildren(nav, h("div", { class: "layout" }, main, tray.element), modal.element);

  const show = (): void => {
    mapPage.element.hidden = route !== "map";
    periodPage.element.hidden = route !== "period";
    aboutPage.element.hidden = route !== "about";
    datasetsPage.element.hidden = route !== "datasets";
    sitesPage.element.hidden = route !== "sites";
    if (route === "datasets") datasetsPage.activate(window.location.pathname);
    if (route === "sites") sitesPage.activate(window.location.search);
    opsPage.show(route === "ops");
    for (const link of links) {
      if (link.dataset.route === route) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    if (route === "map") mapPage.activate();
    if (route !== "period" && panel.element.parentElement === periodPage.panelHost) {
      panel.hide();
      panel.element.remove();
    }
    if (route !== "map" && modal.isOpen()) modal.close();
    document.title = t("app.title");
  };
  const navigate = (next: Route): void => {
    if (next === route && window.location.pathname === kPaths[next]) return;
    navigatePath(kPaths[next]);
  };
  // Pages with their own paths (/datasets/<id>, /sites?latitude=...) come through here.
  function navigatePath(path: string): void {
    history.pushState({}, "", path);
    route = routeOf(window.location.pathname);
    show();
    main.focus({ preventScroll: true });
  }
  window.addEventListener("popstate", () => {
    route = routeOf(window.location.pathname);
    show();
  });

  onLocaleChange(() => {
    switcher.value = locale();
    applyTranslations(document);
    mapPage.translate();
    periodPage.translate();
    datasetsPage.translate();
    sitesPage.translate();
    modal.translate();
    panel.translate();
    tray.render();
    opsPage.translate();
    document.title = t("app.title");
  });
  show();
  store.restore(saved.tasks);
  if (saved.shown_id !== null && route !== "about") showTask(saved.shown_id);
}

start();
