// Home: the map fills the window; a floating panel (a bottom sheet on phones) holds the place
// search, the coordinates, the chosen point, "Calculate ETo" for the last 7/14/21/30 days and
// the tray of calculations.
import { formatDms } from "../coordinates";
import { addDays, formatCoordinates, formatNumber, localTodayAt } from "../format";
import { locale, t } from "../i18n/i18n";
import type { CalculationRequest } from "../protocol";
import type { PointStore } from "../selected_point";
import { createCoordinateFields } from "./coordinate_fields";
import { bindText, h, tx } from "./dom";
import { createMapView, type MapView, type TaskMarker } from "./map_view";
import { createPlaceSearch, type PlaceSearch } from "./place_search";
import { createRecentWindowSelect } from "./recent_window";
import { createSeaRefusal } from "./sea_refusal";

/// Why a submission did not start: the server's error code ("over_sea", ...) and a text.
export interface SubmitProblem {
  code: string;
  text: string;
}

export interface MapPageDeps {
  points: PointStore;
  /// Starts a calculation; `opener` gets the focus back when its live view closes.
  submit(request: CalculationRequest, opener: () => HTMLElement | null): Promise<SubmitProblem | null>;
  search: Parameters<typeof createPlaceSearch>[0];
  lookupElevation(latitude: number, longitude: number): Promise<number | null>;
  openTask(id: string): void;
  navigate(path: string): void;
}

export interface MapPage {
  element: HTMLElement;
  /// Where the tray is shown on this page.
  trayHost: HTMLElement;
  /// Call once the page is visible (Leaflet measures its container).
  activate(): void;
  translate(): void;
  setTaskMarkers(markers: readonly TaskMarker[]): void;
}

export function createMapPage(deps: MapPageDeps): MapPage {
  const { points } = deps;
  const selected = h("p", { id: "selected-location", class: "selected-name" });
  const selectedCoords = h("p", { id: "selected-coords", class: "selected-coords" });
  const elevation = h("p", { id: "selected-elevation", class: "selected-elevation" });
  const formError = h("p", { id: "map-form-error", class: "form-error", role: "alert" });
  const button = bindText(h("button", { id: "calc-eto-today-btn", type: "submit", class: "primary" }), "calc.today");
  const recentWindow = createRecentWindowSelect("recent-days");
  let map: MapView | null = null;

  const renderSelection = (): void => {
    const point = points.get();
    const lang = locale();
    if (!point) {
      selected.textContent = t("map.none");
      selectedCoords.textContent = "";
      elevation.textContent = "";
      return;
    }
    selected.textContent = point.name ?? t("map.selected");
    selectedCoords.textContent = `${formatCoordinates(lang, point.latitude, point.longitude)} · ${formatDms(
      point.latitude,
      "latitude",
    )} ${formatDms(point.longitude, "longitude")}`;
    elevation.textContent = `${t("map.elevation")}: ${
      typeof point.elevation_m === "number" ? `${formatNumber(lang, point.elevation_m, 0)} m` : t("map.elevation_unknown")
    }`;
  };

  const fields = createCoordinateFields("", (valid) => {
    if (valid) formError.textContent = "";
    const value = fields.value();
    if (!value) return;
    const point = points.get();
    if (point && point.latitude === value.latitude && point.longitude === value.longitude) return;
    points.set({ latitude: value.latitude, longitude: value.longitude }, "fields");
  });

  const search: PlaceSearch = createPlaceSearch(deps.search, (choice) => {
    points.set(choice, "search");
    map?.setPoint(choice.latitude, choice.longitude, { zoom: 11 });
  });

  const calculate = (allowSea: boolean): void => {
    if (!fields.validateAll()) {
      formError.textContent = t("validation.fix_form");
      return;
    }
    const value = fields.value();
    if (!value) return;
    const today = localTodayAt(value.longitude);
    const request: CalculationRequest = {
      latitude: value.latitude,
      longitude: value.longitude,
      start_date: addDays(today, -(recentWindow.days() - 1)),
      end_date: today,
      mode: "recent",
    };
    if (value.elevation_m !== null) request.elevation_m = value.elevation_m;
    if (allowSea) request.allow_sea = true;
    button.disabled = true;
    formError.textContent = "";
    refusal.hide();
    void deps.submit(request, () => document.getElementById("calc-eto-today-btn")).then((problem) => {
      button.disabled = false;
      if (problem?.code === "over_sea") refusal.show();
      else formError.textContent = problem?.text ?? "";
    });
  };
  const refusal = createSeaRefusal(() => calculate(true));

  const form = h(
    "form",
    { class: "map-form", novalidate: true, "aria-labelledby": "map-heading" },
    h("div", { class: "calc-row" }, recentWindow.element, button),
    formError,
    refusal.element,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    calculate(false);
  });

  const periodLink = bindText(h("a", { href: "/eto", class: "more-link", id: "period-link" }), "map.more_options");
  periodLink.addEventListener("click", (event) => {
    if (event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    deps.navigate("/eto");
  });

  const trayHost = h("div", { class: "tray-host" });
  const sheetToggle = h("button", { type: "button", class: "sheet-toggle", "aria-expanded": "false", "aria-controls": "map-panel" });
  const panel = h(
    "section",
    { id: "map-panel", class: "map-panel", "aria-labelledby": "map-heading" },
    sheetToggle,
    bindText(h("h1", { id: "map-heading" }), "map.heading"),
    tx("map.hint", "p"),
    search.element,
    h(
      "div",
      { class: "point-card", "aria-live": "polite" },
      selected,
      selectedCoords,
      elevation,
    ),
    form,
    h(
      "details",
      { class: "coords-entry", open: true },
      bindText(h("summary", {}), "map.coordinates"),
      fields.element,
    ),
    periodLink,
    trayHost,
  );
  const renderSheetToggle = (): void => {
    const expanded = panel.classList.contains("expanded");
    sheetToggle.setAttribute("aria-expanded", String(expanded));
    sheetToggle.textContent = t(expanded ? "map.sheet_less" : "map.sheet_more");
  };
  sheetToggle.addEventListener("click", () => {
    panel.classList.toggle("expanded");
    renderSheetToggle();
  });

  const mapBox = h("div", { id: "map", class: "map", tabindex: 0, role: "application" });
  const element = h("div", { class: "page map-page", "data-page": "map" }, mapBox, panel);

  // The panel floats over the map (its left side; on a phone, its bottom as a sheet): points
  // are kept clear of it.
  const phone = (): boolean => matchMedia("(max-width: 700px)").matches;
  const coveredBottomPx = (): number => (phone() ? panel.getBoundingClientRect().height : 0);
  const coveredLeftPx = (): number => (phone() ? 0 : panel.getBoundingClientRect().right - mapBox.getBoundingClientRect().left);

  const showPoint = (origin: string): void => {
    const point = points.get();
    renderSelection();
    // An elevation learnt later changes only what the card says.
    if (!point || origin === "lookup" || origin === "result") return;
    if (origin !== "fields") fields.set(point.latitude, point.longitude);
    if (origin !== "search") search.show(point.name ?? "");
    if (origin !== "search") map?.setPoint(point.latitude, point.longitude);
  };
  points.subscribe((_point, origin) => showPoint(origin));
  const initial = points.get();
  if (initial) {
    fields.set(initial.latitude, initial.longitude);
    search.show(initial.name ?? "");
  }
  renderSelection();
  renderSheetToggle();

  return {
    element,
    trayHost,
    activate() {
      if (!map) {
        map = createMapView(mapBox, {
          onPick: (latitude, longitude) => {
            points.set({ latitude, longitude }, "map");
            void deps.lookupElevation(latitude, longitude).then((metres) => {
              if (metres !== null) points.amend(latitude, longitude, { elevation_m: metres }, "lookup");
            });
          },
          onOpenTask: deps.openTask,
          coveredBottomPx,
          coveredLeftPx,
        });
        const point = points.get();
        if (point) map.setPoint(point.latitude, point.longitude, { zoom: point.name ? 11 : 6 });
      }
      map.invalidate();
    },
    translate() {
      fields.translate();
      search.translate();
      map?.translate();
      recentWindow.translate();
      refusal.translate();
      renderSelection();
      renderSheetToggle();
    },
    setTaskMarkers(markers) {
      map?.setTaskMarkers(markers);
    },
  };
}
