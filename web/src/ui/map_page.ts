// Home: the world map and the coordinate form; "Calculate ETo" asks for the recent days
// (the last 7 days ending today at that point) and opens the live modal.
import { addDays, formatCoordinates, formatNumber, localTodayAt } from "../format";
import { locale, t } from "../i18n/i18n";
import type { CalculationRequest } from "../protocol";
import { bindText, h, tx } from "./dom";
import { createCoordinateFields } from "./coordinate_fields";
import { createMapView, type MapView } from "./map_view";

export interface MapPage {
  element: HTMLElement;
  /// Call once the page is visible (Leaflet measures its container).
  activate(): void;
  translate(): void;
  /// Shows the elevation of the selected point when a result brought it.
  setElevation(latitude: number, longitude: number, elevationM: number | null): void;
}

/// Builds the home page; `submit` starts a calculation and returns an error text or null;
/// `lookupElevation` (when the server offers it) gives a picked point's elevation.
export function createMapPage(
  submit: (request: CalculationRequest) => Promise<string | null>,
  lookupElevation: (latitude: number, longitude: number) => Promise<number | null>,
): MapPage {
  const selected = h("p", { id: "selected-location", class: "selected" });
  const elevation = h("p", { id: "selected-elevation", class: "selected" });
  const formError = h("p", { id: "map-form-error", class: "form-error", role: "alert" });
  const button = bindText(h("button", { id: "calc-eto-today-btn", type: "submit", class: "primary" }), "calc.today");
  let point: { latitude: number; longitude: number } | null = null;
  let elevationM: number | null = null;
  let map: MapView | null = null;

  const renderSelection = (): void => {
    selected.textContent = point
      ? `${t("map.selected")}: ${formatCoordinates(locale(), point.latitude, point.longitude)}`
      : t("map.none");
    elevation.textContent = point
      ? `${t("map.elevation")}: ${elevationM === null ? t("map.elevation_unknown") : `${formatNumber(locale(), elevationM, 0)} m`}`
      : "";
  };

  const fields = createCoordinateFields("", (valid) => {
    if (valid) formError.textContent = "";
    const value = fields.value();
    if (value) {
      if (!point || point.latitude !== value.latitude || point.longitude !== value.longitude) elevationM = null;
      point = { latitude: value.latitude, longitude: value.longitude };
      map?.setPoint(value.latitude, value.longitude);
    }
    renderSelection();
  });

  const form = h(
    "form",
    { class: "map-form", novalidate: true, "aria-labelledby": "map-heading" },
    bindText(h("h1", { id: "map-heading" }), "map.heading"),
    tx("map.hint", "p"),
    fields.element,
    selected,
    elevation,
    button,
    formError,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
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
      start_date: addDays(today, -6),
      end_date: today,
      mode: "recent",
    };
    if (value.elevation_m !== null) request.elevation_m = value.elevation_m;
    button.disabled = true;
    void submit(request).then((error) => {
      button.disabled = false;
      formError.textContent = error ?? "";
    });
  });

  const mapBox = h("div", { id: "map", class: "map", tabindex: 0, role: "application" });
  const element = h("div", { class: "page map-page", "data-page": "map" }, h("div", { class: "map-side" }, form), mapBox);
  renderSelection();

  const page: MapPage = {
    element,
    activate() {
      if (!map) {
        map = createMapView(mapBox, (latitude, longitude) => {
          fields.set(latitude, longitude);
          map?.setPoint(latitude, longitude);
          void lookupElevation(latitude, longitude).then((metres) => {
            if (metres !== null) page.setElevation(latitude, longitude, metres);
          });
        });
        if (point) map.setPoint(point.latitude, point.longitude);
      }
      map.invalidate();
    },
    translate() {
      fields.translate();
      map?.translate();
      renderSelection();
    },
    setElevation(latitude, longitude, value) {
      if (point && Math.abs(point.latitude - latitude) < 1e-3 && Math.abs(point.longitude - longitude) < 1e-3) {
        elevationM = value;
        renderSelection();
      }
    },
  };
  return page;
}
