// Daily ETo as a line with its ± sd band, and precipitation as bars on a second axis (uPlot).
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDate, formatNumber, isPresent } from "../format";
import { locale, t } from "../i18n/i18n";
import type { DailyResult } from "../protocol";

function seconds(isoDate: string): number {
  return Date.parse(`${isoDate}T12:00:00Z`) / 1000;
}

/// Draws the chart into `container` (replacing any previous one); returns a disposer.
export function drawEtoChart(container: HTMLElement, days: readonly DailyResult[]): () => void {
  container.replaceChildren();
  if (days.length === 0) return () => undefined;
  const value = (v: number | null | undefined): number | null => (isPresent(v) ? v : null);
  const x = days.map((d) => seconds(d.date));
  const eto = days.map((d) => value(d.eto_mm));
  const sd = days.map((d) => (isPresent(d.eto_sd_mm) ? d.eto_sd_mm : 0));
  const low = eto.map((e, i) => (e === null ? null : Math.max(0, e - sd[i])));
  const high = eto.map((e, i) => (e === null ? null : e + sd[i]));
  const precip = days.map((d) => value(d.precip_mm));
  const lang = locale();
  const dateByX = new Map(days.map((d) => [seconds(d.date), d.date]));
  const width = Math.max(260, Math.min(900, container.clientWidth || window.innerWidth - 64));

  const options: uPlot.Options = {
    width,
    height: 260,
    title: t("chart.title"),
    scales: { x: { time: false, range: (_u, min, max) => [min - 43200, max + 43200] }, mm: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] }, p: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] } },
    axes: [
      {
        values: (_u, splits) => splits.map((s) => {
          const iso = dateByX.get(s);
          return iso ? formatDate(lang, iso).slice(0, 5) : "";
        }),
        // At most one date label per ~56 px so narrow screens stay readable.
        splits: () => {
          const every = Math.max(1, Math.ceil((x.length * 56) / width));
          return x.filter((_v, i) => i % every === 0);
        },
      },
      { scale: "mm", label: t("chart.eto"), values: (_u, splits) => splits.map((s) => formatNumber(lang, s, 1)) },
      { scale: "p", side: 1, label: t("chart.precip"), grid: { show: false }, values: (_u, splits) => splits.map((s) => formatNumber(lang, s, Number.isInteger(s) ? 0 : 1)) },
    ],
    series: [
      { label: t("results.date"), value: (_u, v) => (v === null ? "" : formatDate(lang, dateByX.get(v) ?? "")) },
      { label: t("chart.band_low"), scale: "mm", stroke: "rgba(11,93,59,0.25)", width: 1, points: { show: false }, value: (_u, v) => formatNumber(lang, v, 2) },
      { label: t("chart.band_high"), scale: "mm", stroke: "rgba(11,93,59,0.25)", width: 1, points: { show: false }, value: (_u, v) => formatNumber(lang, v, 2) },
      { label: t("chart.eto"), scale: "mm", stroke: "#0b5d3b", width: 2, points: { show: true, size: 5 }, value: (_u, v) => formatNumber(lang, v, 2) },
      {
        label: t("chart.precip"),
        scale: "p",
        stroke: "#2f6fb3",
        fill: "rgba(47,111,179,0.35)",
        paths: uPlot.paths.bars?.({ size: [0.5, 40] }),
        points: { show: false },
        value: (_u, v) => formatNumber(lang, v, 1),
      },
    ],
    bands: [{ series: [2, 1], fill: "rgba(11,93,59,0.15)" }],
    legend: { live: true },
  };
  const plot = new uPlot(options, [x, low, high, eto, precip], container);
  const canvas = container.querySelector("canvas");
  canvas?.setAttribute("role", "img");
  canvas?.setAttribute("aria-label", t("chart.title"));
  return () => plot.destroy();
}
