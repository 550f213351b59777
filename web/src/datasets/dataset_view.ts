// One dataset (/datasets/<id>): its period, gaps and column summary, a chart of a variable,
// and "compute ETo" with `evapo eto`'s options: the task is followed to its end, then its
// results (summary, chart, paged table, CSV/XLSX) and, when asked, the comparison with the
// public sources (bias, RMSE, R², KGE and the days side by side).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { fetchTask } from "../api";
import { tableToCsv } from "../export/csv";
import { tableToXlsx } from "../export/xlsx";
import { formatNumber, isPresent } from "../format";
import { locale, t, type MessageKey } from "../i18n/i18n";
import type { DailyResult } from "../protocol";
import type { Cell, TableModel } from "../results_table";
import { applyTranslations, bindText, h } from "../ui/dom";
import { drawEtoChart } from "../ui/eto_chart";
import { download } from "../ui/results_view";
import type { Workspace } from "../workspace/workspace";
import { readWarning, warningText } from "../warnings";
import { calculate, deleteDataset, getDataset, getRows, type CalculationOptions, type Dataset } from "./datasets_api";

const kPageRows = 100;
const kChartRowLimit = 20_000;
const kRowsPerRequest = 5000;

interface ResultRow {
  date?: string;
  datetime?: string;
  eto_mm?: number | null;
  etr_mm?: number | null;
  flags?: string[];
}

interface Comparison {
  days: { date: string; station_eto_mm: number | null; gridded_eto_mm: number | null; difference_mm: number | null }[];
  summary: { pairs: number; bias_mm: number | null; rmse_mm: number | null; r_squared: number | null; kge: number | null; station_mean_mm: number | null; gridded_mean_mm: number | null };
}

interface DatasetResult {
  results: ResultRow[];
  days?: { date: string; eto_mm?: number | null; etr_mm?: number | null; hours: number }[];
  warnings: unknown[];
  summary: { days: number; eto_total_mm: number | null; eto_mean_mm: number | null };
  dataset: { column: "eto_mm" | "etr_mm"; unit: string; timestep: string; method: string };
  comparison?: Comparison;
}

export interface DatasetViewActions {
  back(): void;
  deleted(): void;
}

function select(id: string, label: MessageKey, options: [string, MessageKey][]): { wrap: HTMLElement; input: HTMLSelectElement } {
  const input = h("select", { id });
  for (const [value, key] of options) input.append(bindText(h("option", { value }), key));
  return { wrap: h("div", { class: "field" }, bindText(h("label", { for: id }), label), input), input };
}

function cell(text: string, number: number | null = null, digits = 0): Cell {
  return { text, number, digits };
}

function numberCell(value: number | null | undefined, digits: number): Cell {
  if (!isPresent(value)) return cell(t("results.missing"));
  return cell(formatNumber(locale(), value, digits), Number(formatNumber("en", value, digits)), digits);
}

export function createDatasetView(workspace: Workspace, actions: DatasetViewActions) {
  const title = h("h2", { id: "dataset-title" });
  const back = bindText(h("a", { href: "/datasets", class: "back", id: "dataset-back" }), "datasets.back");
  back.addEventListener("click", (event) => {
    event.preventDefault();
    actions.back();
  });
  const facts = h("dl", { id: "dataset-facts", class: "facts" });
  const summary = h("table", { id: "dataset-summary", class: "summary-table" });
  const chartVariable = h("select", { id: "chart-variable" });
  const chartBox = h("div", { id: "dataset-chart", class: "chart" });
  const chartNote = h("p", { class: "hint", id: "dataset-chart-note" });
  const method = select("calc-method", "datasets.method", [["fao56", "datasets.method_fao56"], ["asce-short", "datasets.method_asce_short"], ["asce-tall", "datasets.method_asce_tall"], ["hargreaves", "datasets.method_hargreaves"]]);
  const rso = select("calc-rso", "datasets.rso", [["simple", "datasets.rso_simple"], ["full", "datasets.rso_full"]]);
  const timestamp = select("calc-timestamp", "datasets.timestamp", [["end", "datasets.timestamp_end"], ["start", "datasets.timestamp_start"]]);
  const constants = select("calc-constants", "datasets.constants", [["standard", "datasets.constants_standard"], ["ref-et", "datasets.constants_ref_et"]]);
  const compare = h("input", { id: "calc-compare", type: "checkbox" });
  const compute = bindText(h("button", { id: "compute-eto-btn", type: "submit" }), "datasets.compute");
  const calcBar = h("progress", { id: "calc-bar", max: 100, value: 0, hidden: true });
  const calcStatus = h("p", { id: "calc-status", "aria-live": "polite" });
  const results = h("section", { id: "dataset-results", class: "dataset-results", hidden: true, "aria-labelledby": "dataset-results-heading" });
  const remove = bindText(h("button", { id: "delete-dataset", type: "button", class: "danger" }), "datasets.delete");
  const form = h(
    "form",
    { id: "calc-form", class: "calc-form" },
    bindText(h("h3", {}), "datasets.compute_heading"),
    h("div", { class: "field-grid" }, method.wrap, rso.wrap, timestamp.wrap, constants.wrap),
    h("label", { class: "check" }, compare, bindText(h("span", {}), "datasets.compare")),
    h("div", { class: "actions" }, compute),
    calcBar,
    calcStatus,
  );
  const element = h(
    "section",
    { id: "dataset-detail", class: "dataset-detail", hidden: true, "aria-labelledby": "dataset-title" },
    back,
    title,
    facts,
    bindText(h("h3", {}), "datasets.columns_heading"),
    h("div", { class: "table-scroll" }, summary),
    bindText(h("h3", {}), "datasets.chart_heading"),
    h("div", { class: "field" }, bindText(h("label", { for: "chart-variable" }), "datasets.variable"), chartVariable),
    chartBox,
    chartNote,
    form,
    results,
    h("div", { class: "actions" }, remove),
  );

  let dataset: Dataset | null = null;
  let rows: Record<string, string | number | null>[] = [];
  let plot: uPlot | null = null;
  let disposeEtoChart: (() => void) | null = null;
  let lastResult: DatasetResult | null = null;
  let generation = 0;

  const renderFacts = (): void => {
    if (!dataset) return;
    const lang = locale();
    const fact = (label: MessageKey, value: string, key: string): HTMLElement[] => [h("dt", {}, t(label)), h("dd", { "data-fact": key }, value)];
    const site = dataset.site;
    facts.replaceChildren(
      ...fact("datasets.timestep", t(`datasets.timestep_${dataset.timestep}` as MessageKey), "timestep"),
      ...fact("datasets.period", dataset.period ? `${dataset.period.start} — ${dataset.period.end}` : "—", "period"),
      ...fact("datasets.rows", formatNumber(lang, dataset.rows, 0), "rows"),
      ...fact("datasets.gaps", t("datasets.gaps_value", { count: formatNumber(lang, dataset.gaps.count, 0), missing: formatNumber(lang, dataset.gaps.missing_steps, 0) }), "gaps"),
      ...fact("datasets.station", `${formatNumber(lang, site.latitude_deg, 4)}°, ${formatNumber(lang, site.longitude_deg, 4)}° · ${formatNumber(lang, site.elevation_m, 0)} m`, "station"),
    );
    summary.replaceChildren(
      h("thead", {}, h("tr", {}, ...(["datasets.column", "datasets.count", "datasets.missing", "datasets.min", "datasets.mean", "datasets.max"] as MessageKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
      h(
        "tbody",
        {},
        ...Object.entries(dataset.summary).map(([column, s]) =>
          h("tr", {}, h("th", { scope: "row" }, column), h("td", {}, formatNumber(lang, s.count, 0)), h("td", {}, formatNumber(lang, s.missing, 0)), h("td", {}, formatNumber(lang, s.min, 2)), h("td", {}, formatNumber(lang, s.mean, 2)), h("td", {}, formatNumber(lang, s.max, 2))),
        ),
      ),
    );
    timestamp.wrap.hidden = dataset.timestep !== "hourly";
  };

  const renderChart = (): void => {
    plot?.destroy();
    plot = null;
    chartBox.replaceChildren();
    if (!dataset || rows.length === 0) return;
    const column = chartVariable.value;
    const key = dataset.timestep === "hourly" ? "datetime" : "date";
    const x: number[] = [];
    const y: (number | null)[] = [];
    for (const row of rows) {
      const when = String(row[key] ?? "");
      const seconds = Date.parse(dataset.timestep === "hourly" ? `${when}:00Z` : `${when}T12:00:00Z`) / 1000;
      if (!Number.isFinite(seconds)) continue;
      x.push(seconds);
      const value = row[column];
      y.push(typeof value === "number" ? value : null);
    }
    const width = Math.max(260, Math.min(900, chartBox.clientWidth || window.innerWidth - 64));
    plot = new uPlot(
      { width, height: 220, series: [{}, { label: column, stroke: "#2563eb", width: 1.5, spanGaps: false }], axes: [{}, { size: 56 }], legend: { show: true } },
      [x, y],
      chartBox,
    );
    chartNote.textContent = dataset.rows > rows.length ? t("datasets.chart_first_rows", { rows: formatNumber(locale(), rows.length, 0) }) : "";
  };

  const loadRows = async (id: string, run: number): Promise<void> => {
    rows = [];
    for (let offset = 0; offset < kChartRowLimit; offset += kRowsPerRequest) {
      const page = await getRows(workspace, id, offset, kRowsPerRequest);
      if (run !== generation || !page.ok) return;
      rows.push(...page.value.rows);
      if (page.value.rows.length < kRowsPerRequest) break;
    }
    renderChart();
  };

  const resultTable = (result: DatasetResult): TableModel => {
    const column = result.dataset.column;
    const hourly = result.dataset.timestep === "hourly";
    return {
      headers: [t(hourly ? "datasets.datetime" : "results.date"), t(column === "etr_mm" ? "datasets.etr" : "results.eto"), t("datasets.flags")],
      widths: [hourly ? 17 : 12, 9, 24],
      rows: result.results.map((row) => [cell(String(row.datetime ?? row.date ?? "")), numberCell(row[column], hourly ? 3 : 2), cell((row.flags ?? []).join("; "))]),
    };
  };

  const renderResults = (result: DatasetResult): void => {
    disposeEtoChart?.();
    lastResult = result;
    results.hidden = false;
    const lang = locale();
    const column = result.dataset.column;
    const table = resultTable(result);
    let page = 0;
    const pages = Math.max(1, Math.ceil(table.rows.length / kPageRows));
    const body = h("tbody", {});
    const pageLabel = h("span", { id: "results-page" });
    const previous = bindText(h("button", { type: "button", class: "secondary", id: "results-previous" }), "datasets.previous");
    const next = bindText(h("button", { type: "button", class: "secondary", id: "results-next" }), "datasets.next");
    const showPage = (): void => {
      body.replaceChildren(...table.rows.slice(page * kPageRows, (page + 1) * kPageRows).map((r) => h("tr", {}, ...r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c.text) : h("td", {}, c.text))))));
      pageLabel.textContent = t("datasets.page", { page: page + 1, pages });
      previous.disabled = page === 0;
      next.disabled = page + 1 >= pages;
    };
    previous.addEventListener("click", () => ((page = Math.max(0, page - 1)), showPage()));
    next.addEventListener("click", () => ((page = Math.min(pages - 1, page + 1)), showPage()));
    showPage();
    const stem = `evapo_${dataset?.name.replace(/[^\w.-]+/g, "_") ?? "dataset"}_${result.dataset.method}`;
    const csv = bindText(h("button", { type: "button", class: "secondary", id: "export-csv" }), "export.csv");
    // What the file is, beside the numbers: the dataset, the evapo eto options, when.
    const metadata = (): [string, string][] => [
      [t("meta.title"), t("datasets.meta_title_value")],
      [t("datasets.station"), dataset?.name ?? ""],
      [t("meta.method"), `${method.input.selectedOptions[0]?.textContent ?? result.dataset.method} (evapo eto --method ${result.dataset.method})`],
      [t("meta.period"), `${String(result.results[0]?.datetime ?? result.results[0]?.date ?? "")} – ${String(result.results.at(-1)?.datetime ?? result.results.at(-1)?.date ?? "")}`],
      [t("meta.exported"), new Date().toISOString()],
    ];
    csv.addEventListener("click", () => download(tableToCsv(table, lang, metadata()), "text/csv;charset=utf-8", `${stem}.csv`));
    const xlsx = bindText(h("button", { type: "button", class: "secondary", id: "export-xlsx" }), "export.xlsx");
    xlsx.addEventListener("click", () => download(tableToXlsx(table, lang, metadata(), [t("export.sheet"), t("export.meta_sheet")]) as Uint8Array<ArrayBuffer>, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", `${stem}.xlsx`));
    // The chart shows days: the rows themselves, or the complete days of hourly rows.
    const days = (result.days ?? result.results.map((r) => ({ date: r.date ?? "", [column]: r[column] }))) as Record<string, unknown>[];
    const chartDays = days.map((d) => ({ date: String(d.date), eto_mm: (d[column] as number | null) ?? null, eto_sd_mm: null, precip_mm: null }) as unknown as DailyResult);
    const etoChart = h("div", { class: "chart", id: "dataset-eto-chart" });
    const stat = (label: MessageKey, value: string, key: string): HTMLElement => h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(label)), h("dd", {}, value));
    const children: HTMLElement[] = [
      bindText(h("h3", { id: "dataset-results-heading" }), "datasets.results_heading"),
      h(
        "dl",
        { class: "stats" },
        stat("datasets.days", formatNumber(lang, result.summary.days, 0), "days"),
        stat("summary.total", t("summary.mm", { value: formatNumber(lang, result.summary.eto_total_mm, 1) }), "total"),
        stat("summary.mean", t("summary.mm_day", { value: formatNumber(lang, result.summary.eto_mean_mm, 2) }), "mean"),
      ),
      etoChart,
      h("div", { class: "export-buttons" }, csv, xlsx),
      h("div", { class: "table-scroll" }, h("table", { id: "dataset-results-table", class: "results-table" }, h("thead", {}, h("tr", {}, ...table.headers.map((text) => h("th", { scope: "col" }, text)))), body)),
      h("div", { class: "pager" }, previous, pageLabel, next),
    ];
    if (result.comparison) children.push(renderComparison(result.comparison));
    if (result.warnings.length > 0) children.push(h("ul", { class: "warnings" }, ...result.warnings.map((w) => h("li", {}, warningText(lang, readWarning(w))))));
    results.replaceChildren(...children);
    disposeEtoChart = drawEtoChart(etoChart, chartDays, null);
  };

  const renderComparison = (comparison: Comparison): HTMLElement => {
    const lang = locale();
    const s = comparison.summary;
    const stat = (label: MessageKey, value: string, key: string): HTMLElement => h("div", { class: "stat", "data-stat": key }, h("dt", {}, t(label)), h("dd", {}, value));
    const shown = comparison.days.filter((d) => isPresent(d.gridded_eto_mm)).slice(0, 31);
    return h(
      "section",
      { id: "dataset-comparison", class: "comparison", "aria-labelledby": "comparison-heading" },
      bindText(h("h3", { id: "comparison-heading" }), "datasets.comparison_heading"),
      bindText(h("p", { class: "hint" }), "datasets.comparison_hint"),
      h(
        "dl",
        { class: "stats" },
        stat("datasets.pairs", formatNumber(lang, s.pairs, 0), "pairs"),
        stat("datasets.bias", t("summary.mm_day", { value: formatNumber(lang, s.bias_mm, 2) }), "bias"),
        stat("datasets.rmse", t("summary.mm_day", { value: formatNumber(lang, s.rmse_mm, 2) }), "rmse"),
        stat("datasets.r2", formatNumber(lang, s.r_squared, 3), "r2"),
        stat("datasets.kge", formatNumber(lang, s.kge, 3), "kge"),
      ),
      h(
        "div",
        { class: "table-scroll" },
        h(
          "table",
          { id: "comparison-table", class: "results-table" },
          h("thead", {}, h("tr", {}, ...(["results.date", "datasets.station_eto", "datasets.gridded_eto", "datasets.difference"] as MessageKey[]).map((k) => h("th", { scope: "col" }, t(k))))),
          h("tbody", {}, ...shown.map((d) => h("tr", {}, h("th", { scope: "row" }, d.date), h("td", {}, formatNumber(lang, d.station_eto_mm, 2)), h("td", {}, formatNumber(lang, d.gridded_eto_mm, 2)), h("td", {}, formatNumber(lang, d.difference_mm, 2))))),
        ),
      ),
    );
  };

  const follow = async (taskId: string, run: number): Promise<void> => {
    calcBar.hidden = false;
    for (;;) {
      const task = await fetchTask(taskId);
      if (run !== generation) return;
      if (task.ok) {
        const snapshot = task.value as unknown as { status: string; progress: number; step: string; result?: DatasetResult; error?: { error?: string } };
        calcBar.value = snapshot.progress ?? 0;
        const stepKey = `step.${snapshot.step}` as MessageKey;
        calcStatus.textContent = snapshot.step ? t("datasets.calc_step", { step: t(stepKey) }) : t("progress.waiting");
        if (snapshot.status === "success" && snapshot.result) {
          calcBar.hidden = true;
          calcStatus.textContent = t("datasets.calc_done");
          calcStatus.dataset.state = "success";
          renderResults(snapshot.result);
          return;
        }
        if (snapshot.status !== "queued" && snapshot.status !== "processing") {
          calcBar.hidden = true;
          calcStatus.dataset.state = "error";
          calcStatus.textContent = t("datasets.calc_failed", { message: snapshot.error?.error ?? snapshot.status });
          return;
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!dataset) return;
    const options: CalculationOptions = { method: method.input.value, rso: rso.input.value, timestamp: timestamp.input.value, constants: constants.input.value, compare: compare.checked };
    compute.disabled = true;
    results.hidden = true;
    calcStatus.dataset.state = "running";
    calcStatus.textContent = t("progress.waiting");
    const submitted = await calculate(workspace, dataset.id, options);
    compute.disabled = false;
    if (!submitted.ok) {
      calcStatus.dataset.state = "error";
      calcStatus.textContent = t("datasets.calc_failed", { message: submitted.details.map((d) => `${d.field}: ${d.reason}`).join("; ") || submitted.message });
      return;
    }
    await follow(submitted.value.task_id, generation);
  });
  chartVariable.addEventListener("change", renderChart);
  remove.addEventListener("click", async () => {
    if (!dataset || !window.confirm(t("datasets.confirm_delete", { name: dataset.name }))) return;
    const removed = await deleteDataset(workspace, dataset.id);
    if (removed.ok) actions.deleted();
  });

  return {
    element,
    async show(id: string): Promise<void> {
      const run = ++generation;
      element.hidden = false;
      results.hidden = true;
      calcStatus.textContent = "";
      delete calcStatus.dataset.state;
      lastResult = null;
      const found = await getDataset(workspace, id);
      if (run !== generation) return;
      if (!found.ok) {
        dataset = null;
        title.textContent = t("datasets.not_found");
        facts.replaceChildren();
        summary.replaceChildren();
        form.hidden = true;
        return;
      }
      form.hidden = false;
      dataset = found.value;
      title.textContent = dataset.name;
      chartVariable.replaceChildren(...Object.keys(dataset.summary).filter((c) => dataset?.summary[c]?.count).map((c) => h("option", { value: c }, c)));
      renderFacts();
      await loadRows(id, run);
    },
    hide(): void {
      ++generation;
      element.hidden = true;
      plot?.destroy();
      plot = null;
      disposeEtoChart?.();
      disposeEtoChart = null;
    },
    translate(): void {
      applyTranslations(element);
      renderFacts();
      if (lastResult) renderResults(lastResult);
    },
  };
}
