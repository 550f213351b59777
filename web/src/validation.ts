// Validation of what the user types, with the reason as a message key (shown as they type).
import { parseDecimal } from "./format";
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
