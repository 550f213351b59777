// The map's background: a raster tile layer (OpenStreetMap by default; VITE_EVAPO_TILE_URL and
// VITE_EVAPO_TILE_ATTRIBUTION at build time choose another, "none" for no tiles) and, when tiles
// cannot load (no internet, tile server down or refusing), the bundled offline Natural Earth
// countries. Tiles are fetched only for what is on screen (Leaflet's defaults, no prefetch), as
// the OpenStreetMap tile usage policy asks; the browser sends its own User-Agent and Referer.
import L from "leaflet";
import { feature } from "topojson-client";
import type { GeometryCollection, Topology } from "topojson-specification";
import { onLocaleChange, t } from "../i18n/i18n";

const kOsmUrl = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
/// Tiles that fail before any loads, or the wait for the first one, before going offline.
const kFailuresBeforeOffline = 3;
const kFirstTileWaitMs = 8000;

export type BaseMapMode = "loading" | "tiles" | "offline";

/// The tile URL template in use, or null when this build has none.
export function tileUrl(): string | null {
  const configured = import.meta.env.VITE_EVAPO_TILE_URL as string | undefined;
  if (configured === undefined || configured === "") return kOsmUrl;
  return configured === "none" ? null : configured;
}

function tileAttribution(): string {
  const configured = import.meta.env.VITE_EVAPO_TILE_ATTRIBUTION as string | undefined;
  if (configured) return configured;
  if (tileUrl() !== kOsmUrl) return "";
  return `&copy; <a href="https://www.openstreetmap.org/copyright">${t("map.osm_attribution")}</a>`;
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

let countries: Promise<GeoJSON.FeatureCollection | null> | null = null;

// The Natural Earth countries, fetched once per page for every map that needs them.
function loadCountries(): Promise<GeoJSON.FeatureCollection | null> {
  countries ??= (async () => {
    try {
      const response = await fetch("/basemap/countries-110m.json");
      if (!response.ok) return null;
      const topology = (await response.json()) as Topology;
      const collection = feature(topology, topology.objects.countries as GeometryCollection) as GeoJSON.FeatureCollection;
      for (const f of collection.features) unwrapAntimeridian(f.geometry);
      return collection;
    } catch {
      return null;
    }
  })();
  return countries;
}

/// Puts the background on `map`; `container` gets data-basemap = loading | tiles | offline.
/// `notice`: say on the map when it went offline.
export function addBaseMap(map: L.Map, container: HTMLElement, { notice }: { notice: boolean }): void {
  let mode: BaseMapMode = "loading";
  // The tiles' attribution, written here (not as the layer's) so that it follows the language.
  let attribution = "";
  const setMode = (next: BaseMapMode): void => {
    mode = next;
    container.dataset.basemap = next;
    container.classList.toggle("offline-basemap", next === "offline");
  };
  const goOffline = async (): Promise<void> => {
    if (mode === "offline") return;
    setMode("offline");
    if (tiles) map.removeLayer(tiles);
    if (attribution) map.attributionControl.removeAttribution(attribution);
    const collection = await loadCountries();
    if (!collection) return;
    L.geoJSON(collection, {
      interactive: false,
      style: { color: "#7a8b7f", weight: 0.6, fillColor: "#e9efe4", fillOpacity: 1 },
    }).addTo(map);
    map.attributionControl.addAttribution("Natural Earth");
    if (notice) offlineNotice.addTo(map);
  };
  const offlineNotice = new L.Control({ position: "bottomleft" });
  offlineNotice.onAdd = () => {
    const box = L.DomUtil.create("div", "offline-notice");
    box.setAttribute("role", "status");
    box.dataset.i18n = "map.offline";
    box.textContent = t("map.offline");
    return box;
  };

  const url = tileUrl();
  let tiles: L.TileLayer | null = null;
  if (!url) {
    void goOffline();
    return;
  }
  setMode("loading");
  tiles = L.tileLayer(url, {
    maxZoom: 19,
    referrerPolicy: "strict-origin-when-cross-origin",
  } as L.TileLayerOptions);
  let failures = 0;
  tiles.on("tileload", () => {
    if (mode === "loading") setMode("tiles");
  });
  tiles.on("tileerror", () => {
    failures += 1;
    if (mode === "loading" && failures >= kFailuresBeforeOffline) void goOffline();
  });
  tiles.addTo(map);
  attribution = tileAttribution();
  map.attributionControl.addAttribution(attribution);
  onLocaleChange(() => {
    if (mode === "offline") return;
    map.attributionControl.removeAttribution(attribution);
    attribution = tileAttribution();
    map.attributionControl.addAttribution(attribution);
  });
  setTimeout(() => {
    if (mode === "loading") void goOffline();
  }, kFirstTileWaitMs);
}
