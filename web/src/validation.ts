// Validation of what the user types, with the reason as a message key (shown as they type).
import { parseCoordinate, type Axis } from "./coordinates";
import { addDays, daysBetween, parseDecimal } from "./format";
import type { MessageKey } from "./i18n/i18n";
import type { Mode, SourceKey } from "./protocol";

export type Checked = { ok: true; value: number | null } | { ok: false; reason: MessageKey };

function checkRange(text: string, min: number, max: number, rangeReason: MessageKey, axis?: Axis): Checked {
  if (text.trim() === "") return { ok: false, reason: "validation.required" };
  const value = axis ? parseCoordinate(text, axis) : parseDecimal(text);
  if (Number.isNaN(value)) return { ok: false, reason: "validation.not_number" };
  if (value < min || value > max) return { ok: false, reason: rangeReason };
  return { ok: true, value };
}

/// Latitude in degrees, -90..90: decimal (dot or comma) or degrees-minutes-seconds.
export function checkLatitude(text: string): Checked {
  return checkRange(text, -90, 90, "validation.lat_range", "latitude");
}

/// Longitude in degrees, -180..180: decimal (dot or comma) or degrees-minutes-seconds.
export function checkLongitude(text: string): Checked {
  return checkRange(text, -180, 180, "validation.lon_range", "longitude");
}

/// Optional elevation in metres; empty means "let the server find it" (value null).
export function checkElevation(text: string): Checked {
  if (text.trim() === "") return { ok: true, value: null };
  return checkRange(text, -500, 9000, "validation.elev_range");
}

/// Why a period does not fit `mode` (the server's rules, so the user learns before sending), or
/// null. Dates are ISO "YYYY-MM-DD"; `today` is the location's local day. `date` fills the
/// message's {date} placeholder.
export function checkPeriod(
  mode: Mode,
  start: string,
  end: string,
  today: string,
): { reason: MessageKey; date?: string } | null {
  if (!start || !end) return { reason: "validation.date_required" };
  if (end < start) return { reason: "validation.dates_order" };
  const spanDays = daysBetween(start, end) + 1;
  const yesterday = addDays(today, -1);
  switch (mode) {
    case "historical":
      if (start < "1990-01-01") return { reason: "validation.before_1990" };
      if (end > yesterday) return { reason: "validation.historical_end", date: yesterday };
      if (spanDays > 366) return { reason: "validation.historical_span" };
      return null;
    case "recent":
      if (Math.abs(daysBetween(today, end)) > 1) return { reason: "validation.recent_end", date: today };
      if (![7, 14, 21, 30].includes(spanDays)) return { reason: "validation.recent_span" };
      return null;
    case "forecast":
      if (Math.abs(daysBetween(today, start)) > 1) return { reason: "validation.forecast_start", date: today };
      if (daysBetween(today, end) > 6) return { reason: "validation.forecast_end", date: addDays(today, 5) };
      return null;
  }
}

function inUsa(latitude: number, longitude: number): boolean {
  return latitude >= 24 && latitude <= 50 && longitude >= -125 && longitude <= -66;
}

/// Why `source` cannot serve this mode, point and period (the server's source selection), or
/// null when it can: "validation.source_no_forecast" (a reanalysis asked for a forecast),
/// "validation.source_forecast_only", "validation.source_usa_only", "validation.source_dates".
export function sourceProblem(
  source: SourceKey,
  mode: Mode,
  point: { latitude: number; longitude: number } | null,
  start: string,
  end: string,
  today: string,
): MessageKey | null {
  const forecast = mode === "forecast";
  let first: string;
  let last: string;
  switch (source) {
    case "nasa_power":
      if (forecast) return "validation.source_no_forecast";
      [first, last] = ["1981-01-01", today];
      break;
    case "open_meteo_archive":
      if (forecast) return "validation.source_no_forecast";
      [first, last] = ["1940-01-01", addDays(today, -1)];
      break;
    case "open_meteo_forecast":
      [first, last] = forecast ? [addDays(today, -92), addDays(today, 16)] : [addDays(today, -7), today];
      break;
    case "met_norway":
      if (!forecast) return "validation.source_forecast_only";
      [first, last] = [today, addDays(today, 9)];
      break;
    case "nws":
      if (point && !inUsa(point.latitude, point.longitude)) return "validation.source_usa_only";
      if (!forecast) return "validation.source_forecast_only";
      [first, last] = [today, addDays(today, 6)];
      break;
  }
  if (start && end && (end < first || start > last)) return "validation.source_dates";
  return null;
}

/// Why a hand-picked set of sources cannot give a result (none ticked, or none serving this
/// mode, point and dates), or null. `chosen` null means automatic.
export function checkSources(
  chosen: SourceKey[] | null,
  mode: Mode,
  point: { latitude: number; longitude: number } | null,
  start: string,
  end: string,
  today: string,
): MessageKey | null {
  if (chosen === null) return null;
  if (chosen.length === 0) return "validation.sources_none";
  if (chosen.every((s) => sourceProblem(s, mode, point, start, end, today) !== null)) return "validation.sources_unusable";
  return null;
}
