// Formatting of the operations page's figures, in the active locale.
import { formatNumber, isPresent, type MaybeNumber } from "../format";
import type { Locale } from "../i18n/i18n";

/// Bytes as "1.5 GB" (powers of 1024, one decimal from KB up).
export function formatBytes(locale: Locale, bytes: MaybeNumber): string {
  if (!isPresent(bytes)) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${formatNumber(locale, value, unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/// A share 0..1 as a percentage with no decimal ("37 %"), or "—".
export function formatShare(locale: Locale, share: MaybeNumber): string {
  return isPresent(share) ? `${formatNumber(locale, share * 100, 0)} %` : "—";
}

/// An ISO time as the locale's time of day (today) or date and time.
export function formatTime(locale: Locale, iso: string | null | undefined, now: Date = new Date()): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return new Intl.DateTimeFormat(locale, sameDay ? { hour: "2-digit", minute: "2-digit", second: "2-digit" } : { dateStyle: "short", timeStyle: "medium" }).format(date);
}

/// Seconds between two ISO times as "12.3 s" or "4 min 05 s"; "—" when either is missing.
export function formatDuration(locale: Locale, from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return "—";
  const seconds = (Date.parse(to) - Date.parse(from)) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 60) return `${formatNumber(locale, seconds, 1)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${String(Math.round(seconds - minutes * 60)).padStart(2, "0")} s`;
}
