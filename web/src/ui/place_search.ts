// The search box: a place name (Open-Meteo geocoding through evapo) or coordinates typed in one
// line ("-22.7, -47.6", "22°43'S 47°39'W"). A combobox: arrows move, Enter chooses, Escape
// closes; the list and its status are announced to screen readers.
import type { ApiResult } from "../api";
import { parseCoordinatePair } from "../coordinates";
import { formatCoordinates } from "../format";
import { locale, t } from "../i18n/i18n";
import type { Place } from "../protocol";
import { bindAttrs, bindText, h } from "./dom";

export interface PlaceChoice {
  latitude: number;
  longitude: number;
  name?: string;
  elevation_m?: number | null;
}

export interface PlaceSearch {
  element: HTMLElement;
  /// Shows `text` in the box without searching (e.g. the name of a point chosen elsewhere).
  show(text: string): void;
  translate(): void;
}

type Search = (name: string, language: string, signal: AbortSignal) => Promise<ApiResult<Place[]>>;

const kDebounceMs = 300;

/// "Piracicaba, São Paulo, Brasil".
export function placeLabel(place: Place): string {
  return [place.name, place.admin1, place.country].filter((part, i, all) => part && all.indexOf(part) === i).join(", ");
}

export function createPlaceSearch(search: Search | null, onChoose: (choice: PlaceChoice) => void): PlaceSearch {
  const input = h("input", {
    id: "place-search",
    type: "search",
    role: "combobox",
    autocomplete: "off",
    spellcheck: "false",
    "aria-autocomplete": "list",
    "aria-expanded": "false",
    "aria-controls": "place-results",
  });
  bindAttrs(input, { placeholder: search ? "search.placeholder" : "search.placeholder_coords" });
  const label = bindText(h("label", { for: "place-search", class: "visually-hidden" }), "search.label");
  const list = h("ul", { id: "place-results", role: "listbox", class: "place-results", hidden: true });
  bindAttrs(list, { "aria-label": "search.results" });
  const status = h("p", { id: "place-status", class: "place-status", role: "status" });
  let choices: PlaceChoice[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: AbortController | null = null;
  let statusKey: { key: Parameters<typeof t>[0]; params?: Record<string, string | number> } | null = null;

  const setStatus = (key: typeof statusKey): void => {
    statusKey = key;
    status.textContent = key ? t(key.key, key.params) : "";
  };
  const close = (): void => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (index: number): void => {
    active = index;
    [...list.children].forEach((item, i) => item.setAttribute("aria-selected", String(i === index)));
    if (index >= 0) input.setAttribute("aria-activedescendant", `place-option-${index}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const choose = (index: number): void => {
    const choice = choices[index];
    if (!choice) return;
    input.value = choice.name ?? formatCoordinates(locale(), choice.latitude, choice.longitude);
    close();
    setStatus(null);
    onChoose(choice);
  };
  const render = (labels: { main: string; detail: string }[]): void => {
    list.replaceChildren(
      ...labels.map((label, i) =>
        h(
          "li",
          {
            id: `place-option-${i}`,
            role: "option",
            "aria-selected": "false",
            class: "place-option",
            // Keep the focus in the box: a click chooses without blurring it.
            onmousedown: (event: Event) => event.preventDefault(),
            onclick: () => choose(i),
          },
          h("span", { class: "place-main" }, label.main),
          label.detail ? h("span", { class: "place-detail" }, label.detail) : null,
        ),
      ),
    );
    list.hidden = labels.length === 0;
    input.setAttribute("aria-expanded", String(labels.length > 0));
    highlight(labels.length > 0 ? 0 : -1);
  };

  const run = async (text: string): Promise<void> => {
    const pair = parseCoordinatePair(text);
    if (pair) {
      // Four decimals (about 11 m), as a click on the map gives.
      const round = (value: number): number => Math.round(value * 1e4) / 1e4;
      choices = [{ latitude: round(pair.latitude), longitude: round(pair.longitude) }];
      render([{ main: t("search.go_to", { coords: formatCoordinates(locale(), choices[0].latitude, choices[0].longitude) }), detail: "" }]);
      setStatus(null);
      return;
    }
    if (!search || text.trim().length < 2) {
      choices = [];
      render([]);
      setStatus(text.trim().length >= 2 && !search ? { key: "search.unavailable" } : null);
      return;
    }
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    setStatus({ key: "search.searching" });
    let result: ApiResult<Place[]>;
    try {
      result = await search(text.trim(), locale() === "pt-BR" ? "pt" : "en", controller.signal);
    } catch {
      return; // superseded by a newer search
    }
    if (inFlight !== controller) return;
    inFlight = null;
    if (!result.ok) {
      choices = [];
      render([]);
      setStatus({ key: result.status === 0 || result.status >= 500 ? "search.unavailable" : "search.failed" });
      return;
    }
    choices = result.value.map((place) => ({
      latitude: place.latitude,
      longitude: place.longitude,
      name: placeLabel(place),
      elevation_m: typeof place.elevation_m === "number" ? place.elevation_m : null,
    }));
    render(
      result.value.map((place) => ({
        main: place.name,
        detail: [place.admin1, place.country].filter(Boolean).join(", "),
      })),
    );
    setStatus(choices.length === 0 ? { key: "search.none" } : { key: "search.found", params: { count: choices.length } });
  };

  input.addEventListener("input", () => {
    if (timer !== null) clearTimeout(timer);
    const text = input.value;
    timer = setTimeout(() => void run(text), parseCoordinatePair(text) ? 0 : kDebounceMs);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (list.hidden) return;
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      highlight((active + step + choices.length) % choices.length);
    } else if (event.key === "Enter") {
      event.preventDefault();
      if (!list.hidden && choices.length > 0) choose(Math.max(0, active));
      else void run(input.value);
    } else if (event.key === "Escape") {
      close();
    }
  });
  input.addEventListener("blur", () => close());

  const element = h("div", { class: "place-search" }, label, h("div", { class: "search-box" }, input, list), status);
  return {
    element,
    show(text) {
      input.value = text;
      close();
      setStatus(null);
    },
    translate() {
      status.textContent = statusKey ? t(statusKey.key, statusKey.params) : "";
    },
  };
}
