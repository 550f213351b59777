// The chart's time axis: where it is labelled and how, so that the labels sit under the days'
// points and carry the year.
import { formatDayMonth, formatMonthYear } from "../format";
import type { Locale } from "../i18n/i18n";

function isoOf(secondsUtc: number): string {
  return new Date(secondsUtc * 1000).toISOString().slice(0, 10);
}

/// Where the x axis is labelled: at the days' noons (where the points are), every k-th day so
/// labels keep ~70 px apart; for long spans at the first of each month.
export function axisSplits(x: readonly number[], widthPx: number): number[] {
  if (x.length > 120) {
    const firsts = x.filter((s) => isoOf(s).endsWith("-01"));
    const every = Math.max(1, Math.ceil((firsts.length * 70) / Math.max(1, widthPx)));
    return firsts.filter((_s, i) => i % every === 0);
  }
  const every = Math.max(1, Math.ceil((x.length * 70) / Math.max(1, widthPx)));
  return x.filter((_s, i) => i % every === 0);
}

/// Axis labels: day and month (with the year on the first label and where it changes) for
/// short spans, month and year for long ones.
export function axisLabels(lang: Locale, splits: number[], spanDays: number): string[] {
  let lastYear = "";
  return splits.map((split) => {
    const iso = isoOf(split);
    if (spanDays > 120) return formatMonthYear(lang, iso);
    const year = iso.slice(0, 4);
    const label = formatDayMonth(lang, iso, year !== lastYear);
    lastYear = year;
    return label;
  });
}

