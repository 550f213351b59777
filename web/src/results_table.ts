// The results table as data: one definition of columns and cell text used by the on-screen
// table and by both exports, so a download is exactly what the user sees.
import { formatDate, formatNumber, isPresent, type MaybeNumber } from "./format";
import { kMessages, type Locale, type MessageKey } from "./i18n/i18n";
import type { DailyResult } from "./protocol";

export interface Cell {
  /// Text as shown in the table (locale's decimal separator).
  text: string;
  /// The numeric value rounded as shown, for numeric columns with a value.
  number: number | null;
  /// Decimal places shown (numeric columns).
  digits: number;
  /// The ISO day of a date cell (a spreadsheet writes it as a real date).
  date?: string;
  /// A longer text for a tooltip (the sources' full names).
  title?: string;
}

export interface TableModel {
  headers: string[];
  /// Typical width of each column in characters (spreadsheet column widths).
  widths: number[];
  rows: Cell[][];
}

type Column =
  | { header: MessageKey; kind: "number"; digits: number; width: number; value: (day: DailyResult) => MaybeNumber }
  | { header: MessageKey; kind: "text"; width: number; value: (day: DailyResult, locale: Locale) => string; title?: (day: DailyResult, locale: Locale) => string }
  | { header: MessageKey; kind: "date"; width: number };

function message(locale: Locale, key: string): string {
  return kMessages[locale][key] ?? kMessages.en[key] ?? key;
}

// What a farmer reads first (ETo, its uncertainty, the quality, rain), then the inputs.
const kColumns: Column[] = [
  { header: "results.date", kind: "date", width: 12 },
  { header: "results.eto", kind: "number", digits: 2, width: 9, value: (d) => d.eto_mm },
  { header: "results.eto_sd", kind: "number", digits: 2, width: 9, value: (d) => d.eto_sd_mm },
  { header: "results.quality", kind: "text", width: 9, value: (d, l) => message(l, `quality.${d.quality}`) },
  { header: "results.precip", kind: "number", digits: 1, width: 11, value: (d) => d.precip_mm },
  { header: "results.p_minus_eto", kind: "number", digits: 2, width: 11, value: (d) => d.p_minus_eto_mm },
  {
    header: "results.sources",
    kind: "text",
    width: 16,
    value: (d, l) => (d.sources ?? []).map((s) => message(l, `source_tag.${s}`)).join(" "),
    title: (d, l) => (d.sources ?? []).map((s) => message(l, `source.${s}`)).join(", "),
  },
  { header: "results.tmax", kind: "number", digits: 1, width: 9, value: (d) => d.tmax_c },
  { header: "results.tmin", kind: "number", digits: 1, width: 9, value: (d) => d.tmin_c },
  { header: "results.rh", kind: "number", digits: 0, width: 8, value: (d) => d.rh_mean_pct },
  { header: "results.wind", kind: "number", digits: 1, width: 12, value: (d) => d.u2_m_s },
  { header: "results.rs", kind: "number", digits: 1, width: 14, value: (d) => d.rs_mj_m2 },
];

/// Header texts and cell texts of the results table in `locale`; missing values show "—".
export function buildTable(locale: Locale, days: readonly DailyResult[]): TableModel {
  const missing = message(locale, "results.missing");
  const headers = kColumns.map((c) => message(locale, c.header));
  const widths = kColumns.map((c) => c.width);
  const rows = days.map((day) =>
    kColumns.map((column): Cell => {
      if (column.kind === "date") return { text: formatDate(locale, day.date), number: null, digits: 0, date: day.date };
      if (column.kind === "text") {
        const cell: Cell = { text: column.value(day, locale), number: null, digits: 0 };
        if (column.title) cell.title = column.title(day, locale);
        return cell;
      }
      const value = column.value(day);
      if (!isPresent(value)) return { text: missing, number: null, digits: column.digits };
      // The number is parsed back from Intl's own rounding (half away from zero on the exact
      // binary value), so the spreadsheet cell and the table text always agree.
      return {
        text: formatNumber(locale, value, column.digits, missing),
        number: Number(formatNumber("en", value, column.digits)),
        digits: column.digits,
      };
    }),
  );
  return { headers, widths, rows };
}

export interface Summary {
  days: number;
  total_eto_mm: number | null;
  mean_eto_mm: number | null;
  min_eto_mm: number | null;
  max_eto_mm: number | null;
  total_precip_mm: number | null;
  balance_mm: number | null;
}

function sum(values: number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/// Total, mean, min and max daily ETo, total precipitation and P − ETo over the days with values.
export function summarise(days: readonly DailyResult[]): Summary {
  const eto = days.map((d) => d.eto_mm).filter(isPresent);
  const precip = days.map((d) => d.precip_mm).filter(isPresent);
  const balance = days.map((d) => d.p_minus_eto_mm).filter(isPresent);
  const total = sum(eto);
  return {
    days: days.length,
    total_eto_mm: total,
    mean_eto_mm: total === null ? null : total / eto.length,
    min_eto_mm: eto.length ? Math.min(...eto) : null,
    max_eto_mm: eto.length ? Math.max(...eto) : null,
    total_precip_mm: sum(precip),
    balance_mm: sum(balance),
  };
}
