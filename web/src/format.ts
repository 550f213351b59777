// Locale-aware number and date formatting shared by the table, the chart and the exports.
import type { Locale } from "./i18n/i18n";

/// A value the server may send for a missing measurement.
export type MaybeNumber = number | null | undefined;

/// True if `value` is a finite number (the server sends null for a missing value).
export function isPresent(value: MaybeNumber): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

const numberFormats = new Map<string, Intl.NumberFormat>();

/// `value` with exactly `digits` decimals in `locale` (pt-BR: decimal comma), no grouping;
/// `missing` for null/NaN.
export function formatNumber(locale: Locale, value: MaybeNumber, digits: number, missing = "—"): string {
  if (!isPresent(value)) return missing;
  const key = `${locale}|${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
      useGrouping: false,
    });
    numberFormats.set(key, format);
  }
  // Avoid "-0,00" for tiny negatives that round to zero.
  const text = format.format(value);
  return /^-0([.,]0*)?$/.test(text) ? text.slice(1) : text;
}

/// Parses a user-typed decimal in either notation ("-22.7" or "-22,7"); NaN if not a number.
export function parseDecimal(text: string): number {
  const trimmed = text.trim().replace(",", ".");
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) return Number.NaN;
  return Number(trimmed);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(key: string, locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    dateFormats.set(key, format);
  }
  return format;
}

/// The UTC midnight of ISO "YYYY-MM-DD", or null.
export function parseIsoDate(isoDate: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  return match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
}

/// ISO date "YYYY-MM-DD" as nobody can misread it: English with the month's name
/// ("5 Mar 2024"), pt-BR as dd/mm/yyyy ("05/03/2024"). In UTC, so the day never shifts with the
/// browser's time zone.
export function formatDate(locale: Locale, isoDate: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) return isoDate;
  if (locale === "pt-BR") {
    return dateFormat("pt-BR", "pt-BR", { year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
  }
  return dateFormat("en", "en-GB", { year: "numeric", month: "short", day: "numeric" }).format(date);
}

/// A short axis label: "5 Mar" / "5 de mar."; with the year when `withYear`.
export function formatDayMonth(locale: Locale, isoDate: string, withYear: boolean): string {
  const date = parseIsoDate(isoDate);
  if (!date) return isoDate;
  const options: Intl.DateTimeFormatOptions = withYear
    ? { day: "numeric", month: "short", year: "numeric" }
    : { day: "numeric", month: "short" };
  return dateFormat(`dm|${locale}|${withYear}`, locale === "en" ? "en-GB" : locale, options).format(date);
}

/// "Mar 2024" / "mar. de 2024".
export function formatMonthYear(locale: Locale, isoDate: string): string {
  const date = parseIsoDate(isoDate);
  if (!date) return isoDate;
  return dateFormat(`my|${locale}`, locale === "en" ? "en-GB" : locale, { month: "short", year: "numeric" }).format(date);
}

/// Coordinates as "-22.7000°, -47.6000°" in the locale's decimal notation.
export function formatCoordinates(locale: Locale, latitude: number, longitude: number): string {
  return `${formatNumber(locale, latitude, 4)}°, ${formatNumber(locale, longitude, 4)}°`;
}

/// ISO "YYYY-MM-DD" of `date` in UTC.
export function isoDateUtc(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/// ISO date `days` after `isoDate` (negative for before).
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDateUtc(date);
}

/// Whole days from ISO date `from` to `to` (negative if `to` is earlier).
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/// The calendar day at `longitude` now, approximating the local time zone by the solar offset
/// (longitude / 15 h), so "today" is the location's today rather than the browser's.
export function localTodayAt(longitude: number, now: Date = new Date()): string {
  const offsetMs = Math.round(longitude / 15) * 3600 * 1000;
  return isoDateUtc(new Date(now.getTime() + offsetMs));
}

/// Elapsed seconds as "42 s" or "3 min 05 s" parts: [minutes, seconds].
export function splitElapsed(totalSeconds: number): { m: number; s: number } {
  const clamped = Math.max(0, Math.floor(totalSeconds));
  return { m: Math.floor(clamped / 60), s: clamped % 60 };
}
