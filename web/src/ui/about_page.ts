// /about: the method and every data source with its required attribution and licence.
import type { MessageKey } from "../i18n/i18n";
import { bindText, h, tx } from "./dom";

const kSources: { name: string; text: MessageKey; url: string }[] = [
  { name: "Open-Meteo", text: "about.open_meteo", url: "https://creativecommons.org/licenses/by/4.0/" },
  { name: "MET Norway", text: "about.met_norway", url: "https://api.met.no/doc/License" },
  { name: "NASA POWER", text: "about.nasa_power", url: "https://power.larc.nasa.gov/" },
  { name: "NWS / NOAA", text: "about.nws", url: "https://www.weather.gov/disclaimer" },
  { name: "OpenStreetMap", text: "about.openstreetmap", url: "https://www.openstreetmap.org/copyright" },
  { name: "GeoNames", text: "about.geonames", url: "https://www.geonames.org/about.html" },
  { name: "Natural Earth", text: "about.natural_earth", url: "https://www.naturalearthdata.com/about/terms-of-use/" },
];

export function createAboutPage(): { element: HTMLElement } {
  const element = h(
    "div",
    { class: "page about-page", "data-page": "about" },
    bindText(h("h1", {}), "about.heading"),
    bindText(h("h2", {}), "about.method_heading"),
    tx("about.method", "p"),
    bindText(h("h2", {}), "about.sources_heading"),
    h(
      "ul",
      { class: "attributions" },
      ...kSources.map((s) =>
        h(
          "li",
          { "data-source": s.name },
          h("strong", {}, s.name),
          " — ",
          tx(s.text),
          " ",
          bindText(h("a", { href: s.url, rel: "noopener noreferrer", target: "_blank" }), "about.licence_link"),
        ),
      ),
    ),
    tx("about.original", "p"),
  );
  return { element };
}
