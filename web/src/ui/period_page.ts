// /eto: ETo for chosen dates, mode and sources, at the point chosen on the map (or here, on the
// mini-map or in the fields); the live card and the results appear on the page.
import { addDays, formatDate, localTodayAt } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { kSourceKeys, type CalculationRequest, type Mode, type SourceKey } from "../protocol";
import type { PointStore } from "../selected_point";
import { checkPeriod, checkSources, sourceProblem } from "../validation";
import { createCoordinateFields } from "./coordinate_fields";
import { bindText, h, tx } from "./dom";
import type { SubmitProblem } from "./map_page";
import { createMapView, type MapView } from "./map_view";
import { createRecentWindowSelect } from "./recent_window";
import { createSeaRefusal } from "./sea_refusal";

export interface PeriodPage {
  element: HTMLElement;
  /// Where the task panel is mounted on this page.
  panelHost: HTMLElement;
  activate(): void;
  translate(): void;
}

/// Default dates for `mode` at `longitude`: historical = the 7 days ending yesterday,
/// recent = the 7 days ending today, forecast = today and the next 5 days.
export function defaultDates(mode: Mode, longitude: number, now: Date = new Date()): { start: string; end: string } {
  const today = localTodayAt(longitude, now);
  if (mode === "recent") return { start: addDays(today, -6), end: today };
  if (mode === "forecast") return { start: today, end: addDays(today, 5) };
  return { start: addDays(today, -7), end: addDays(today, -1) };
}

export function createPeriodPage(
  points: PointStore,
  submit: (request: CalculationRequest, opener: () => HTMLElement | null) => Promise<SubmitProblem | null>,
): PeriodPage {
  const formError = h("p", { id: "period-form-error", class: "form-error", role: "alert" });
  const fields = createCoordinateFields("period-", () => {
    formError.textContent = "";
    const value = fields.value();
    if (value) {
      const point = points.get();
      if (!point || point.latitude !== value.latitude || point.longitude !== value.longitude) {
        points.set({ latitude: value.latitude, longitude: value.longitude }, "period-fields");
      }
    }
    followPoint();
  });

  const modeSelect = h("select", { id: "mode-select" });
  const modes: Mode[] = ["historical", "recent", "forecast"];
  for (const mode of modes) modeSelect.append(bindText(h("option", { value: mode }), `period.mode.${mode}` as MessageKey));
  const mode = (): Mode => modeSelect.value as Mode;
  const start = h("input", { id: "start-date", type: "date", min: "1990-01-01", "aria-describedby": "date-reason" });
  const end = h("input", { id: "end-date", type: "date", min: "1990-01-01", "aria-describedby": "date-reason" });
  const dateRow = h(
    "div",
    { class: "date-row" },
    h("div", { class: "field" }, bindText(h("label", { for: "start-date" }), "period.start"), start),
    h("div", { class: "field" }, bindText(h("label", { for: "end-date" }), "period.end"), end),
  );
  const recentWindow = createRecentWindowSelect("period-recent-days");
  const forecastSpan = h("p", { id: "forecast-span", class: "hint" });
  const dateReason = h("div", { id: "date-reason", class: "field-reason", "aria-live": "polite" });

  const point = (): { latitude: number; longitude: number } | null => fields.value();
  const today = (): string => localTodayAt(point()?.longitude ?? 0);
  // The dates the request will carry: typed (historical) or derived (recent, forecast).
  const dates = (): { start: string; end: string } => {
    if (mode() === "historical") return { start: start.value, end: end.value };
    if (mode() === "recent") return { start: addDays(today(), -(recentWindow.days() - 1)), end: today() };
    return { start: today(), end: addDays(today(), 5) };
  };

  const auto = h("input", { type: "radio", name: "source-choice", id: "sources-auto", value: "auto", checked: true });
  const explicit = h("input", { type: "radio", name: "source-choice", id: "sources-explicit", value: "explicit" });
  const boxes = kSourceKeys.map((key) => h("input", { type: "checkbox", id: `source-${key}`, value: key, "data-source": key }));
  const boxNotes = kSourceKeys.map((key) => h("span", { class: "source-note", id: `source-${key}-note` }));
  const sourcesReason = h("div", { id: "sources-reason", class: "field-reason", "aria-live": "polite" });
  const chosenSources = (): SourceKey[] | null =>
    explicit.checked ? boxes.filter((b) => b.checked && !b.disabled).map((b) => b.value as SourceKey) : null;

  // Shows what is wrong with the dates and the sources as the user changes them.
  const refresh = (): boolean => {
    const { start: first, end: last } = dates();
    dateRow.hidden = mode() !== "historical";
    recentWindow.element.hidden = mode() !== "recent";
    forecastSpan.hidden = mode() !== "forecast";
    forecastSpan.textContent = t("period.forecast_span", { start: formatDate(locale(), first), end: formatDate(locale(), last) });
    const problem = checkPeriod(mode(), first, last, today());
    dateReason.textContent = problem ? t(problem.reason, { date: problem.date ? formatDate(locale(), problem.date) : "" }) : "";
    dateReason.classList.toggle("visible", problem !== null);
    for (const input of [start, end]) input.setAttribute("aria-invalid", problem ? "true" : "false");
    boxes.forEach((box, i) => {
      const why = sourceProblem(box.value as SourceKey, mode(), point(), first, last, today());
      box.disabled = !explicit.checked || why !== null;
      boxNotes[i].textContent = why ? t(why) : "";
    });
    const sourceIssue = checkSources(chosenSources(), mode(), point(), first, last, today());
    sourcesReason.textContent = sourceIssue ? t(sourceIssue) : "";
    sourcesReason.classList.toggle("visible", sourceIssue !== null);
    return problem === null && sourceIssue === null;
  };
  let shownDefaults: { start: string; end: string } | null = null;
  const setDefaults = (): void => {
    const defaults = defaultDates(mode(), point()?.longitude ?? 0);
    start.value = defaults.start;
    end.value = defaults.end;
    shownDefaults = defaults;
    refresh();
  };
  // The default dates are days of the point's own calendar: a new point (another longitude, maybe
  // another day) moves them, unless the user typed dates of their own.
  const followPoint = (): void => {
    if (shownDefaults && start.value === shownDefaults.start && end.value === shownDefaults.end) setDefaults();
    else refresh();
  };
  modeSelect.addEventListener("change", setDefaults);
  for (const input of [start, end, auto, explicit, ...boxes]) input.addEventListener("input", refresh);
  for (const input of [auto, explicit, ...boxes]) input.addEventListener("change", refresh);
  recentWindow.element.addEventListener("change", refresh);

  const button = bindText(h("button", { id: "calc-eto-period-btn", type: "submit", class: "primary" }), "calc.period");
  const calculate = (allowSea: boolean): void => {
    const coordsOk = fields.validateAll();
    const choicesOk = refresh();
    const value = fields.value();
    if (!coordsOk || !choicesOk || !value) {
      formError.textContent = t("validation.fix_form");
      return;
    }
    const { start: first, end: last } = dates();
    const request: CalculationRequest = {
      latitude: value.latitude,
      longitude: value.longitude,
      start_date: first,
      end_date: last,
      mode: mode(),
    };
    const sources = chosenSources();
    if (sources) request.sources = sources;
    if (value.elevation_m !== null) request.elevation_m = value.elevation_m;
    if (allowSea) request.allow_sea = true;
    button.disabled = true;
    refusal.hide();
    void submit(request, () => document.getElementById("calc-eto-period-btn")).then((problem) => {
      button.disabled = false;
      if (problem?.code === "over_sea") refusal.show();
      else formError.textContent = problem?.text ?? "";
    });
  };
  const refusal = createSeaRefusal(() => calculate(true));

  const miniMapBox = h("div", { id: "period-map", class: "mini-map", tabindex: 0, role: "application" });
  let miniMap: MapView | null = null;
  const form = h(
    "form",
    { class: "period-form", novalidate: true, "aria-labelledby": "period-heading" },
    bindText(h("h1", { id: "period-heading" }), "period.heading"),
    tx("period.intro", "p"),
    h("div", { class: "period-where" }, miniMapBox, h("div", { class: "period-fields" }, fields.element)),
    h("div", { class: "field" }, bindText(h("label", { for: "mode-select" }), "period.mode"), modeSelect),
    dateRow,
    recentWindow.element,
    forecastSpan,
    dateReason,
    h(
      "fieldset",
      { class: "sources" },
      bindText(h("legend", {}), "period.sources"),
      h("div", { class: "choice" }, auto, bindText(h("label", { for: "sources-auto" }), "period.sources.auto")),
      h("div", { class: "choice" }, explicit, bindText(h("label", { for: "sources-explicit" }), "period.sources.explicit")),
      h(
        "div",
        { class: "source-boxes" },
        ...boxes.map((b, i) =>
          h("div", { class: "choice" }, b, bindText(h("label", { for: b.id }), `source.${b.value}` as MessageKey), boxNotes[i]),
        ),
      ),
      sourcesReason,
    ),
    button,
    formError,
    refusal.element,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    calculate(false);
  });

  const showPoint = (origin: string): void => {
    const p = points.get();
    if (!p) return;
    if (origin !== "period-fields") fields.set(p.latitude, p.longitude);
    miniMap?.setPoint(p.latitude, p.longitude);
    followPoint();
  };
  points.subscribe((_p, origin) => showPoint(origin));
  const initial = points.get();
  if (initial) fields.set(initial.latitude, initial.longitude);
  setDefaults();

  const panelHost = h("div", { class: "period-panel" });
  const element = h("div", { class: "page period-page", "data-page": "period" }, form, panelHost);
  return {
    element,
    panelHost,
    activate() {
      if (!miniMap) {
        miniMap = createMapView(miniMapBox, {
          onPick: (latitude, longitude) => points.set({ latitude, longitude }, "period-map"),
          minZoom: 1,
          compact: true,
        });
        const p = points.get();
        if (p) miniMap.setPoint(p.latitude, p.longitude, { zoom: 5 });
      }
      miniMap.invalidate();
    },
    translate() {
      fields.translate();
      recentWindow.translate();
      refusal.translate();
      miniMap?.translate();
      refresh();
    },
  };
}
