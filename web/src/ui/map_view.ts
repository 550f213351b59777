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
    zoomSnap: 0.25,
    attributionControl: true,
  });
  map.fitBounds([[-56, -170], [75, 180]]);
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

// Leaflet draws planar polygons: a ring that crosses the antimeridian (Fiji, Russia, Antarctica)
// would become a stripe across the whole map. Unwrapping its longitudes keeps every edge short.
function unwrapRing(ring: number[][]): void {
  for (let i = 1; i < ring.length; i += 1) {
    const jump = ring[i][0] - ring[i - 1][0];
    if (jump > 180) ring[i][0] -= 360 * Math.round(jump / 360);
    else if (jump < -180) ring[i][0] += 360 * Math.round(-jump / 360);
  }
}

function unwrapAntimeridian(geometry: GeoJSON.Geometry | null): void {
  if (!geometry) return;
  if (geometry.type === "Polygon") geometry.coordinates.forEach(unwrapRing);
  else if (geometry.type === "MultiPolygon") geometry.coordinates.forEach((polygon) => polygon.forEach(unwrapRing));
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
  for (const f of geojson.features) unwrapAntimeridian(f.geometry);
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
