// The world map: an offline Natural Earth base map (world-atlas TopoJSON served from /basemap/),
// an optional tile layer when a deployment sets VITE_EVAPO_TILE_URL, and a marker at the chosen point.
import L from "leaflet";
import "leaflet/dist/leaflet.css";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { t } from "../i18n/i18n";

export interface MapView {
  /// Moves the marker to the point (and pans there if `pan`).
  setPoint(latitude: number, longitude: number, options?: { pan?: boolean }): void;
  /// Leaflet needs this after its container changed size or became visible.
  invalidate(): void;
  /// Re-applies translated labels.
  translate(): void;
}

/// Builds the map in `container`; `onPick` receives clicked coordinates (wrapped into -180..180).
export function createMapView(container: HTMLElement, onPick: (lat: number, lon: number) => void): MapView {
  const map = L.map(container, {
    center: [0, 0],
    zoom: 2,
    minZoom: 1,
    maxZoom: 12,
    worldCopyJump: true,
    attributionControl: true,
  });
  map.attributionControl.setPrefix(false);
  const tileUrl = import.meta.env.VITE_EVAPO_TILE_URL as string | undefined;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18, attribution: import.meta.env.VITE_EVAPO_TILE_ATTRIBUTION ?? "" }).addTo(map);
  } else {
    container.classList.add("offline-basemap");
  }
  void loadBaseMap(map, Boolean(tileUrl));

  let marker: L.CircleMarker | null = null;
  map.on("click", (event: L.LeafletMouseEvent) => {
    const wrapped = event.latlng.wrap();
    onPick(round(wrapped.lat), round(wrapped.lng));
  });

  const view: MapView = {
    setPoint(latitude, longitude, options = {}) {
      if (!marker) {
        marker = L.circleMarker([latitude, longitude], {
          radius: 8,
          color: "#0b5d3b",
          weight: 3,
          fillColor: "#f5b700",
          fillOpacity: 0.9,
        }).addTo(map);
      } else {
        marker.setLatLng([latitude, longitude]);
      }
      if (options.pan || !map.getBounds().contains([latitude, longitude])) map.panTo([latitude, longitude]);
    },
    invalidate() {
      map.invalidateSize();
    },
    translate() {
      container.setAttribute("aria-label", t("map.label"));
    },
  };
  view.translate();
  return view;
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

async function loadBaseMap(map: L.Map, hasTiles: boolean): Promise<void> {
  let topology: Topology;
  try {
    const response = await fetch("/basemap/countries-110m.json");
    if (!response.ok) return;
    topology = (await response.json()) as Topology;
  } catch {
    return;
  }
  const countries = topology.objects.countries as GeometryCollection;
  const geojson = feature(topology, countries);
  L.geoJSON(geojson, {
    interactive: false,
    style: {
      color: "#7a8b7f",
      weight: 0.6,
      fillColor: hasTiles ? "transparent" : "#e9efe4",
      fillOpacity: hasTiles ? 0 : 1,
    },
  }).addTo(map);
  map.attributionControl.addAttribution("Natural Earth (public domain)");
}
