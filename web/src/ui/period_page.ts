// /eto: ETo for chosen dates, mode and sources; the live card and results appear on the page.
import { addDays, formatDate, localTodayAt } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import { kSourceKeys, type CalculationRequest, type Mode, type SourceKey } from "../protocol";
import { bindText, h, tx } from "./dom";
import { createCoordinateFields } from "./coordinate_fields";
import { checkPeriod } from "../validation";

export interface PeriodPage {
  element: HTMLElement;
  /// Where the task panel is mounted on this page.
  panelHost: HTMLElement;
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

export function createPeriodPage(submit: (request: CalculationRequest) => Promise<string | null>): PeriodPage {
  const formError = h("p", { id: "period-form-error", class: "form-error", role: "alert" });
  const fields = createCoordinateFields("period-", () => {
    formError.textContent = "";
    checkDates();
  });

  const modeSelect = h("select", { id: "mode-select" });
  const modes: Mode[] = ["historical", "recent", "forecast"];
  for (const mode of modes) modeSelect.append(bindText(h("option", { value: mode }), `period.mode.${mode}` as MessageKey));
  const start = h("input", { id: "start-date", type: "date", min: "1990-01-01", "aria-describedby": "date-reason" });
  const end = h("input", { id: "end-date", type: "date", min: "1990-01-01", "aria-describedby": "date-reason" });
  const dateReason = h("div", { id: "date-reason", class: "field-reason", "aria-live": "polite" });
  const setDefaults = (): void => {
    const lon = fields.value()?.longitude ?? 0;
    const dates = defaultDates(modeSelect.value as Mode, lon);
    start.value = dates.start;
    end.value = dates.end;
    checkDates();
  };
  const checkDates = (): boolean => {
    const today = localTodayAt(fields.value()?.longitude ?? 0);
    const problem = checkPeriod(modeSelect.value as Mode, start.value, end.value, today);
    const reason: MessageKey | null = problem?.reason ?? null;
    dateReason.textContent = problem ? t(problem.reason, { date: problem.date ? formatDate(locale(), problem.date) : "" }) : "";
    dateReason.dataset.reason = reason ?? "";
    dateReason.classList.toggle("visible", reason !== null);
    start.setAttribute("aria-invalid", reason ? "true" : "false");
    end.setAttribute("aria-invalid", reason ? "true" : "false");
    return reason === null;
  };
  modeSelect.addEventListener("change", setDefaults);
  start.addEventListener("input", checkDates);
  end.addEventListener("input", checkDates);

  const auto = h("input", { type: "radio", name: "source-choice", id: "sources-auto", value: "auto", checked: true });
  const explicit = h("input", { type: "radio", name: "source-choice", id: "sources-explicit", value: "explicit" });
  const boxes = kSourceKeys.map((key) =>
    h("input", { type: "checkbox", id: `source-${key}`, value: key, disabled: true, "data-source": key }),
  );
  const syncBoxes = (): void => boxes.forEach((b) => (b.disabled = !explicit.checked));
  auto.addEventListener("change", syncBoxes);
  explicit.addEventListener("change", syncBoxes);

  const button = bindText(h("button", { id: "calc-eto-period-btn", type: "submit", class: "primary" }), "calc.period");
  const sourcesLegend = bindText(h("legend", {}), "period.sources");
  const form = h(
    "form",
    { class: "period-form", novalidate: true, "aria-labelledby": "period-heading" },
    bindText(h("h1", { id: "period-heading" }), "period.heading"),
    tx("period.intro", "p"),
    fields.element,
    h("div", { class: "field" }, bindText(h("label", { for: "mode-select" }), "period.mode"), modeSelect),
    h(
      "div",
      { class: "date-row" },
      h("div", { class: "field" }, bindText(h("label", { for: "start-date" }), "period.start"), start),
      h("div", { class: "field" }, bindText(h("label", { for: "end-date" }), "period.end"), end),
    ),
    dateReason,
    h(
      "fieldset",
      { class: "sources" },
      sourcesLegend,
      h("div", { class: "choice" }, auto, bindText(h("label", { for: "sources-auto" }), "period.sources.auto")),
      h("div", { class: "choice" }, explicit, bindText(h("label", { for: "sources-explicit" }), "period.sources.explicit")),
      h(
        "div",
        { class: "source-boxes" },
        ...boxes.map((b) =>
          h("div", { class: "choice" }, b, bindText(h("label", { for: b.id }), `source.${b.value}` as MessageKey)),
        ),
      ),
    ),
    button,
    formError,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const coordsOk = fields.validateAll();
    const datesOk = checkDates();
    const value = fields.value();
    if (!coordsOk || !datesOk || !value) {
      formError.textContent = t("validation.fix_form");
      return;
    }
    const request: CalculationRequest = {
      latitude: value.latitude,
      longitude: value.longitude,
      start_date: start.value,
      end_date: end.value,
      mode: modeSelect.value as Mode,
    };
    if (explicit.checked) request.sources = boxes.filter((b) => b.checked).map((b) => b.value as SourceKey);
    if (value.elevation_m !== null) request.elevation_m = value.elevation_m;
    button.disabled = true;
    void submit(request).then((error) => {
      button.disabled = false;
      formError.textContent = error ?? "";
    });
  });
  setDefaults();

  const panelHost = h("div", { class: "period-panel" });
  const element = h("div", { class: "page period-page", "data-page": "period" }, form, panelHost);
  return {
    element,
    panelHost,
    translate() {
      fields.translate();
      checkDates();
    },
  };
}
