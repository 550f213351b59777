// Results of one finished calculation: summary, chart, the table and its CSV/XLSX downloads,
// and the warnings. Rendered in the active language (re-rendered on a switch).
import { tableToCsv } from "../export/csv";
import { tableToXlsx } from "../export/xlsx";
import { formatCoordinates, formatNumber, isPresent } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import type { SuccessData } from "../protocol";
import { buildTable, summarise } from "../results_table";
import { h } from "./dom";
import { drawEtoChart } from "./eto_chart";

/// File name stem for downloads: evapo_eto_<lat>_<lon>_<first day>_<last day>.
export function exportStem(result: SuccessData, latitude: number, longitude: number): string {
  const days = result.results;
  const first = days[0]?.date ?? "";
  const last = days[days.length - 1]?.date ?? "";
  return `evapo_eto_${latitude.toFixed(4)}_${longitude.toFixed(4)}_${first}_${last}`;
}

function download(bytes: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const anchor = h("a", { href: url, download: name, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/// Renders `result` into `container` (replacing its content); returns a disposer for the chart.
export function renderResults(
  container: HTMLElement,
  result: SuccessData,
  place: { latitude: number; longitude: number },
): () => void {
  const lang = locale();
  const table = buildTable(lang, result.results);
  const summary = summarise(result.results);
  const mm = (v: number | null): string => t("summary.mm", { value: formatNumber(lang, v, 2) });
  const mmDay = (v: number | null): string => t("summary.mm_day", { value: formatNumber(lang, v, 2) });
  const stat = (label: MessageKey, value: string, key: string): HTMLElement =>
    h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(label)), h("dd", {}, value));

  const summaryBlock = h(
    "section",
    { class: "summary", "aria-labelledby": "summary-heading" },
    h("h3", { id: "summary-heading" }, t("summary.heading")),
    h(
      "dl",
      { class: "stats" },
      stat("summary.days", String(summary.days), "days"),
      stat("summary.total", mm(summary.total_eto_mm), "total"),
      stat("summary.mean", mmDay(summary.mean_eto_mm), "mean"),
      stat("summary.min", mmDay(summary.min_eto_mm), "min"),
      stat("summary.max", mmDay(summary.max_eto_mm), "max"),
      stat("summary.precip_total", mm(summary.total_precip_mm), "precip"),
      stat("summary.balance", mm(summary.balance_mm), "balance"),
    ),
  );

  const chartBox = h("div", { class: "chart" });

  const stem = exportStem(result, place.latitude, place.longitude);
  const exports = h(
    "div",
    { class: "exports" },
    h(
      "button",
      {
        id: "export-csv-btn",
        type: "button",
        class: "secondary",
        onclick: () => download(tableToCsv(buildTable(locale(), result.results), locale()), "text/csv;charset=utf-8", `${stem}.csv`),
      },
      t("export.csv"),
    ),
    h(
      "button",
      {
        id: "export-xlsx-btn",
        type: "button",
        class: "secondary",
        onclick: () =>
          download(
            tableToXlsx(buildTable(locale(), result.results), t("export.sheet")) as Uint8Array<ArrayBuffer>,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            `${stem}.xlsx`,
          ),
      },
      t("export.xlsx"),
    ),
  );

  const tableElement = h(
    "table",
    { id: "results-table" },
    h("caption", {}, t("results.table_caption")),
    h("thead", {}, h("tr", {}, ...table.headers.map((header) => h("th", { scope: "col" }, header)))),
    h(
      "tbody",
      {},
      ...table.rows.map((row, r) =>
        h(
          "tr",
          { "data-date": result.results[r].date, "data-quality": result.results[r].quality },
          ...row.map((cell, c) =>
            c === 0
              ? h("th", { scope: "row" }, cell.text)
              : h("td", { class: cell.number !== null || cell.text === t("results.missing") ? "num" : "" }, cell.text),
          ),
        ),
      ),
    ),
  );

  const warnings = result.warnings ?? [];
  const warningsBlock =
    warnings.length > 0
      ? h(
          "details",
          // A long list (one line per missing variable) starts folded so the results stay in view.
          { class: "warnings", id: "result-warnings", open: warnings.length <= 3 },
          h("summary", {}, `${t("warnings.heading")} (${warnings.length})`),
          h("ul", {}, ...warnings.map((w) => h("li", {}, w))),
        )
      : null;

  const where = result.location;
  const locationLine = where
    ? h(
        "p",
        { id: "result-location", class: "result-location" },
        t("results.location", {
          coords: formatCoordinates(lang, where.latitude, where.longitude),
          elevation: isPresent(where.elevation_m) ? `${formatNumber(lang, where.elevation_m, 0)} m` : t("results.missing"),
          zone: where.time_zone ?? t("results.missing"),
        }),
      )
    : null;

  container.replaceChildren(
    h("h3", { class: "results-heading" }, t("results.heading")),
    ...(locationLine ? [locationLine] : []),
    result.results.length === 0 ? h("p", {}, t("results.none")) : summaryBlock,
    ...(warningsBlock ? [warningsBlock] : []),
    chartBox,
    exports,
    h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": t("results.table_caption") }, tableElement),
  );
  return drawEtoChart(chartBox, result.results);
}
