// A Leaflet map: the background (base_map.ts), the chosen point, markers for the tray's tasks,
// and zoom buttons that zoom around the chosen point so it never leaves the view.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { t, type MessageKey } from "../i18n/i18n";
import { addBaseMap } from "./base_map";

export interface TaskMarker {
  id: string;
  latitude: number;
  longitude: number;
  status: string;
  label: string;
}

export interface MapView {
  /// Moves the chosen-point marker there; `zoom` flies there at that zoom, otherwise the map
  /// pans only as far as needed to show it clear of `coveredBottomPx` (a bottom sheet).
  setPoint(latitude: number, longitude: number, options?: { zoom?: number }): void;
  /// The tray's tasks as small markers (clicking one opens it).
  setTaskMarkers(markers: readonly TaskMarker[]): void;
  /// Leaflet needs this after its container changed size or became visible.
  invalidate(): void;
  /// Re-applies translated labels.
  translate(): void;
}

export interface MapViewOptions {
  /// A click or tap (or Enter on the focused map: its centre), wrapped into -180..180.
  onPick(latitude: number, longitude: number): void;
  onOpenTask?(id: string): void;
  /// Height of what covers the bottom of the map (a bottom sheet), in px.
  coveredBottomPx?(): number;
  /// Width of what covers the left of the map (a floating panel), in px.
  coveredLeftPx?(): number;
  /// Start zoomed out on the whole world (the home map) or nearer (a mini-map).
  minZoom?: number;
  /// A small map: no "offline map" notice over it.
  compact?: boolean;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

export function createMapView(container: HTMLElement, options: MapViewOptions): MapView {
  const map = L.map(container, {
    center: [0, 0],
    zoom: 2,
    minZoom: options.minZoom ?? 2,
    maxZoom: 18,
    worldCopyJump: true,
    zoomSnap: 0.5,
    zoomControl: false,
    attributionControl: true,
  });
  map.fitBounds([[-50, -150], [65, 160]], {
    paddingTopLeft: [options.coveredLeftPx?.() ?? 0, 0],
    paddingBottomRight: [0, options.coveredBottomPx?.() ?? 0],
  });
  map.attributionControl.setPrefix(false);
  addBaseMap(map, container, { notice: !options.compact });

  let point: L.LatLng | null = null;
  let marker: L.CircleMarker | null = null;
  const taskLayer = L.layerGroup().addTo(map);

  map.on("click", (event: L.LeafletMouseEvent) => {
    const wrapped = event.latlng.wrap();
    options.onPick(round(wrapped.lat), round(wrapped.lng));
  });
  container.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target !== container) return;
    const centre = map.getCenter().wrap();
    options.onPick(round(centre.lat), round(centre.lng));
  });

  // Zoom buttons keep the chosen point where it is on screen when it is in view.
  const zoomBy = (delta: number): void => {
    const zoom = Math.max(map.getMinZoom(), Math.min(map.getMaxZoom(), map.getZoom() + delta));
    if (point && map.getBounds().contains(point)) map.setZoomAround(point, zoom);
    else map.setZoom(zoom);
  };
  const zoomButtons: { button: HTMLButtonElement; label: MessageKey }[] = [];
  const zoomControl = new L.Control({ position: "topright" });
  zoomControl.onAdd = () => {
    const bar = L.DomUtil.create("div", "leaflet-bar zoom-buttons");
    for (const [text, delta, label] of [["+", 1, "map.zoom_in"], ["−", -1, "map.zoom_out"]] as const) {
      const button = L.DomUtil.create("button", "zoom-button", bar) as HTMLButtonElement;
      button.type = "button";
      button.textContent = text;
      button.dataset.zoom = delta > 0 ? "in" : "out";
      L.DomEvent.disableClickPropagation(button);
      button.addEventListener("click", () => zoomBy(delta));
      zoomButtons.push({ button, label });
    }
    return bar;
  };
  zoomControl.addTo(map);

  const visible = (latlng: L.LatLng): void => {
    const bottom = options.coveredBottomPx?.() ?? 0;
    const left = options.coveredLeftPx?.() ?? 0;
    map.panInside(latlng, { paddingTopLeft: [left + 40, 40], paddingBottomRight: [60, bottom + 40] });
  };

  const view: MapView = {
    setPoint(latitude, longitude, { zoom } = {}) {
      point = L.latLng(latitude, longitude);
      if (!marker) {
        marker = L.circleMarker(point, {
          radius: 9,
          color: "#0b3d2a",
          weight: 3,
          fillColor: "#f5b700",
          fillOpacity: 1,
          className: "chosen-point",
          interactive: false,
        }).addTo(map);
      } else {
        marker.setLatLng(point);
      }
      if (zoom !== undefined) {
        const bottom = options.coveredBottomPx?.() ?? 0;
        const left = options.coveredLeftPx?.() ?? 0;
        // Centre the point in the part of the map that is not covered.
        const target = map.unproject(map.project(point, zoom).add([-left / 2, bottom / 2]), zoom);
        map.setView(target, zoom);
      } else {
        visible(point);
      }
    },
    setTaskMarkers(markers) {
      taskLayer.clearLayers();
      for (const m of markers) {
        const circle = L.circleMarker([m.latitude, m.longitude], {
          radius: 7,
          weight: 2,
          color: "#ffffff",
          fillOpacity: 1,
          className: `task-marker task-marker--${m.status}`,
        });
        circle.bindTooltip(m.label);
        circle.on("click", (event) => {
          L.DomEvent.stopPropagation(event);
          options.onOpenTask?.(m.id);
        });
        circle.addTo(taskLayer);
      }
      marker?.bringToFront();
    },
    invalidate() {
      map.invalidateSize();
    },
    translate() {
      container.setAttribute("aria-label", t("map.label"));
      for (const { button, label } of zoomButtons) {
        button.setAttribute("aria-label", t(label));
        button.title = t(label);
      }
    },
  };
  view.translate();
  return view;
}
