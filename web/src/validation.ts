// Validation of what the user types, with the reason as a message key (shown as they type).
import { addDays, daysBetween, parseDecimal } from "./format";
import type { MessageKey } from "./i18n/i18n";

export type Checked = { ok: true; value: number | null } | { ok: false; reason: MessageKey };

function checkRange(text: string, min: number, max: number, rangeReason: MessageKey): Checked {
  if (text.trim() === "") return { ok: false, reason: "validation.required" };
  const value = parseDecimal(text);
  if (Number.isNaN(value)) return { ok: false, reason: "validation.not_number" };
  if (value < min || value > max) return { ok: false, reason: rangeReason };
  return { ok: true, value };
}

/// Latitude in degrees, -90..90 (dot or comma decimal).
export function checkLatitude(text: string): Checked {
  return checkRange(text, -90, 90, "validation.lat_range");
}

/// Longitude in degrees, -180..180 (dot or comma decimal).
export function checkLongitude(text: string): Checked {
  return checkRange(text, -180, 180, "validation.lon_range");
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
  mode: "historical" | "recent" | "forecast",
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
