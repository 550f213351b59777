// Results of one finished calculation: where and how high, warnings (the ones that change what
// the numbers mean first and open), the summary, the chart, the downloads and the table (paged,
// with a sticky header and a visible cue when it scrolls sideways).
import { tableToCsv } from "../export/csv";
import { exportMetadata, type ExportSource } from "../export/metadata";
import { tableToXlsx } from "../export/xlsx";
import { formatCoordinates, formatNumber, isPresent, localTodayAt } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import type { CalculationRequest, SuccessData } from "../protocol";
import { buildTable, summarise, type TableModel } from "../results_table";
import { isMajorWarning, warningText } from "../warnings";
import { h } from "./dom";
import { drawEtoChart } from "./eto_chart";

/// Rows per table page.
export const kPageRows = 31;

/// What the results view needs besides the result: the request, the place name and the version.
export interface ResultContext {
  request: CalculationRequest;
  placeName?: string;
  version: string;
}

/// File name stem for downloads: evapo_eto_<lat>_<lon>_<first day>_<last day>.
export function exportStem(result: SuccessData, latitude: number, longitude: number): string {
  const days = result.results;
  const first = days[0]?.date ?? "";
  const last = days[days.length - 1]?.date ?? "";
  return `evapo_eto_${latitude.toFixed(4)}_${longitude.toFixed(4)}_${first}_${last}`;
}

/// Saves `bytes` as a file named `name` (the browser's download).
export function download(bytes: BlobPart, type: string, name: string): void {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const anchor = h("a", { href: url, download: name, hidden: true });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/// The first day of the result that is forecast: after the point's local today (a recent
/// period's today is partly forecast too), or null.
export function forecastFrom(result: SuccessData, request: CalculationRequest): string | null {
  const offset = result.location?.utc_offset_seconds;
  const today =
    typeof offset === "number"
      ? new Date(Date.now() + offset * 1000).toISOString().slice(0, 10)
      : localTodayAt(request.longitude);
  return request.mode === "historical" ? null : today;
}

function renderTable(table: TableModel, dates: readonly string[], qualities: readonly string[]): HTMLElement {
  let page = 0;
  const pages = Math.max(1, Math.ceil(table.rows.length / kPageRows));
  const body = h("tbody", {});
  const pageText = h("span", { id: "table-page", class: "table-page", "aria-live": "polite" });
  const previous = h("button", { type: "button", class: "secondary", id: "table-prev" }, t("table.previous"));
  const next = h("button", { type: "button", class: "secondary", id: "table-next" }, t("table.next"));
  const show = (): void => {
    const first = page * kPageRows;
    const rows = table.rows.slice(first, first + kPageRows);
    body.replaceChildren(
      ...rows.map((row, i) =>
        h(
          "tr",
          { "data-date": dates[first + i], "data-quality": qualities[first + i] },
          ...row.map((cell, c) =>
            c === 0
              ? h("th", { scope: "row" }, cell.text)
              : h(
                  "td",
                  { class: cell.number !== null || cell.text === t("results.missing") ? "num" : "", title: cell.title ?? null },
                  cell.text,
                ),
          ),
        ),
      ),
    );
    pageText.textContent = t("table.page", {
      first: first + 1,
      last: first + rows.length,
      total: table.rows.length,
    });
    previous.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  previous.addEventListener("click", () => {
    page = Math.max(0, page - 1);
    show();
  });
  next.addEventListener("click", () => {
    page = Math.min(pages - 1, page + 1);
    show();
  });
  show();
  const tableElement = h(
    "table",
    { id: "results-table" },
    h("caption", {}, t("results.table_caption")),
    h("thead", {}, h("tr", {}, ...table.headers.map((header) => h("th", { scope: "col" }, header)))),
    body,
  );
  const scroller = h("div", { class: "table-scroll", tabindex: 0, role: "region", "aria-label": t("results.table_caption") }, tableElement);
  const cue = h("p", { class: "scroll-cue", id: "scroll-cue", "aria-hidden": "true" }, t("table.scroll_cue"));
  // The cue and the edge shadows show only while there is more to the side.
  const updateCue = (): void => {
    const more = scroller.scrollWidth - scroller.clientWidth - scroller.scrollLeft > 2;
    scroller.classList.toggle("more-right", more);
    scroller.classList.toggle("more-left", scroller.scrollLeft > 2);
    cue.hidden = scroller.scrollWidth <= scroller.clientWidth + 2;
  };
  scroller.addEventListener("scroll", updateCue, { passive: true });
  new ResizeObserver(updateCue).observe(scroller);
  const pager = pages > 1 ? h("div", { class: "table-pager" }, previous, pageText, next) : h("div", { class: "table-pager" }, pageText);
  return h("div", { class: "table-block" }, cue, scroller, pager);
}

/// Renders `result` into `container` (replacing its content); returns a disposer for the chart.
export function renderResults(container: HTMLElement, result: SuccessData, context: ResultContext): () => void {
  const lang = locale();
  const { request } = context;
  const table = buildTable(lang, result.results);
  const summary = summarise(result.results);
  const mm = (v: number | null): string => t("summary.mm", { value: formatNumber(lang, v, 1) });
  const mmDay = (v: number | null): string => t("summary.mm_day", { value: formatNumber(lang, v, 2) });
  const stat = (label: MessageKey, value: string, key: string): HTMLElement =>
    h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(label)), h("dd", {}, value));

  const summaryBlock = h(
    "section",
    { class: "summary", "aria-labelledby": "summary-heading" },
    h("h3", { id: "summary-heading", class: "visually-hidden" }, t("summary.heading")),
    h(
      "dl",
      { class: "stats" },
      stat("summary.total", mm(summary.total_eto_mm), "total"),
      stat("summary.mean", mmDay(summary.mean_eto_mm), "mean"),
      stat("summary.precip_total", mm(summary.total_precip_mm), "precip"),
      stat("summary.balance", mm(summary.balance_mm), "balance"),
      stat("summary.min", mmDay(summary.min_eto_mm), "min"),
      stat("summary.max", mmDay(summary.max_eto_mm), "max"),
    ),
  );

  const exportSource = (): ExportSource => ({
    result,
    request,
    placeName: context.placeName,
    version: context.version,
    exportedAt: new Date(),
  });
  const where = result.location;
  const latitude = where?.latitude ?? request.latitude;
  const longitude = where?.longitude ?? request.longitude;
  const stem = exportStem(result, latitude, longitude);
  const exports = h(
    "div",
    { class: "exports" },
    h(
      "button",
      {
        id: "export-csv-btn",
        type: "button",
        class: "secondary",
        onclick: () => {
          const l = locale();
          download(tableToCsv(buildTable(l, result.results), l, exportMetadata(l, exportSource())), "text/csv;charset=utf-8", `${stem}.csv`);
        },
      },
      t("export.csv"),
    ),
    h(
      "button",
      {
        id: "export-xlsx-btn",
        type: "button",
        class: "secondary",
        onclick: () => {
          const l = locale();
          const bytes = tableToXlsx(buildTable(l, result.results), l, exportMetadata(l, exportSource()), [t("export.sheet"), t("export.meta_sheet")]);
          download(bytes as Uint8Array<ArrayBuffer>, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `${stem}.xlsx`);
        },
      },
      t("export.xlsx"),
    ),
  );

  const warnings = result.warnings ?? [];
  const major = warnings.filter(isMajorWarning);
  const minor = warnings.filter((w) => !isMajorWarning(w));
  const majorBlock = major.length
    ? h("div", { class: "major-warning", id: "major-warning", role: "note" }, ...major.map((w) => h("p", {}, warningText(lang, w))))
    : null;
  const warningsBlock = minor.length
    ? h(
        "details",
        { class: "warnings", id: "result-warnings", open: minor.length <= 3 },
        h("summary", {}, t("warnings.heading", { count: minor.length })),
        h("ul", {}, ...minor.map((w) => h("li", { "data-code": w.code }, warningText(lang, w)))),
      )
    : null;

  const locationLine = h(
    "p",
    { id: "result-location", class: "result-location" },
    t("results.location", {
      coords: `${context.placeName ? `${context.placeName} · ` : ""}${formatCoordinates(lang, latitude, longitude)}`,
      elevation: isPresent(where?.elevation_m) ? `${formatNumber(lang, where.elevation_m, 0)} m` : t("results.missing"),
      zone: where?.time_zone ?? t("results.missing"),
    }),
  );

  const chartBox = h("div", { class: "chart", id: "eto-chart" });
  container.replaceChildren(
    h("h2", { class: "results-heading" }, t("results.heading")),
    locationLine,
    ...(majorBlock ? [majorBlock] : []),
    result.results.length === 0 ? h("p", {}, t("results.none")) : summaryBlock,
    ...(warningsBlock ? [warningsBlock] : []),
    chartBox,
    exports,
    renderTable(
      table,
      result.results.map((d) => d.date),
      result.results.map((d) => d.quality),
    ),
  );
  return drawEtoChart(chartBox, result.results, forecastFrom(result, request));
}
