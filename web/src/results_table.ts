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
}

export interface TableModel {
  headers: string[];
  rows: Cell[][];
}

type Column =
  | { header: MessageKey; kind: "number"; digits: number; value: (day: DailyResult) => MaybeNumber }
  | { header: MessageKey; kind: "text"; value: (day: DailyResult, locale: Locale) => string };

function message(locale: Locale, key: string): string {
  return kMessages[locale][key] ?? kMessages.en[key] ?? key;
}

const kColumns: Column[] = [
  { header: "results.date", kind: "text", value: (d, l) => formatDate(l, d.date) },
  { header: "results.eto", kind: "number", digits: 2, value: (d) => d.eto_mm },
  { header: "results.eto_sd", kind: "number", digits: 2, value: (d) => d.eto_sd_mm },
  { header: "results.quality", kind: "text", value: (d, l) => message(l, `quality.${d.quality}`) },
  {
    header: "results.sources",
    kind: "text",
    value: (d, l) => (d.sources ?? []).map((s) => message(l, `source.${s}`)).join(", "),
  },
  { header: "results.tmax", kind: "number", digits: 1, value: (d) => d.tmax_c },
  { header: "results.tmin", kind: "number", digits: 1, value: (d) => d.tmin_c },
  { header: "results.rh", kind: "number", digits: 0, value: (d) => d.rh_mean_pct },
  { header: "results.wind", kind: "number", digits: 1, value: (d) => d.u2_m_s },
  { header: "results.rs", kind: "number", digits: 1, value: (d) => d.rs_mj_m2 },
  { header: "results.precip", kind: "number", digits: 1, value: (d) => d.precip_mm },
  { header: "results.p_minus_eto", kind: "number", digits: 2, value: (d) => d.p_minus_eto_mm },
];

/// Header texts and cell texts of the results table in `locale`; missing values show "—".
export function buildTable(locale: Locale, days: readonly DailyResult[]): TableModel {
  const missing = message(locale, "results.missing");
  const headers = kColumns.map((c) => message(locale, c.header));
  const rows = days.map((day) =>
    kColumns.map((column): Cell => {
      if (column.kind === "text") return { text: column.value(day, locale), number: null, digits: 0 };
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
  return { headers, rows };
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
