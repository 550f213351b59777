// Daily ETo as a line with its ± sd band, and precipitation as bars on a second axis when there
// was any (uPlot). Days are drawn at noon UTC so no time zone shifts them; forecast days are
// shaded; the legend below shows the day under the cursor, the latest day otherwise.
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { formatDate, formatNumber, isPresent } from "../format";
import { locale, t } from "../i18n/i18n";
import type { DailyResult } from "../protocol";
import { axisLabels, axisSplits } from "./chart_axis";
import { h } from "./dom";

const kDay = 86_400;
/// Beyond this many days the line has no point markers.
const kMarkersUpToDays = 31;

function seconds(isoDate: string): number {
  return Date.parse(`${isoDate}T12:00:00Z`) / 1000;
}

/// Draws the chart into `container` (replacing any previous one); `forecastFrom` is the first
/// forecast day (ISO), shaded. Returns a disposer.
export function drawEtoChart(container: HTMLElement, days: readonly DailyResult[], forecastFrom: string | null): () => void {
  container.replaceChildren();
  if (days.length === 0) return () => undefined;
  const lang = locale();
  const value = (v: number | null | undefined): number | null => (isPresent(v) ? v : null);
  const x = days.map((d) => seconds(d.date));
  const eto = days.map((d) => value(d.eto_mm));
  const sd = days.map((d) => (isPresent(d.eto_sd_mm) ? d.eto_sd_mm : 0));
  const low = eto.map((e, i) => (e === null ? null : Math.max(0, e - sd[i])));
  const high = eto.map((e, i) => (e === null ? null : e + sd[i]));
  const precip = days.map((d) => value(d.precip_mm));
  const rained = precip.some((p) => p !== null && p > 0);
  const spanDays = days.length;
  const forecastX = forecastFrom && days.some((d) => d.date >= forecastFrom) ? seconds(forecastFrom) - kDay / 2 : null;

  const legend = h("dl", { class: "chart-legend", id: "chart-legend" });
  const showLegend = (index: number): void => {
    const day = days[index];
    if (!day) return;
    const items: [string, string, string][] = [
      ["date", t("results.date"), `${formatDate(lang, day.date)}${forecastFrom && day.date >= forecastFrom ? ` (${t("chart.forecast")})` : ""}`],
      [
        "eto",
        t("chart.eto"),
        isPresent(day.eto_mm)
          ? `${formatNumber(lang, day.eto_mm, 2)}${isPresent(day.eto_sd_mm) ? ` ± ${formatNumber(lang, day.eto_sd_mm, 2)}` : ""}`
          : t("results.missing"),
      ],
    ];
    if (rained) items.push(["precip", t("chart.precip"), formatNumber(lang, day.precip_mm, 1)]);
    legend.replaceChildren(
      ...items.map(([key, label, text]) => h("div", { class: `legend-item legend-${key}` }, h("dt", {}, label), h("dd", {}, text))),
    );
  };

  const plotBox = h("div", { class: "chart-plot" });
  container.append(plotBox, legend);
  const width = (): number => Math.max(260, plotBox.clientWidth || container.clientWidth || window.innerWidth - 48);
  const height = (): number => (window.innerWidth < 600 ? 240 : 320);

  const series: uPlot.Series[] = [
    {},
    { scale: "mm", stroke: "rgba(11,93,59,0.35)", width: 1, points: { show: false } },
    { scale: "mm", stroke: "rgba(11,93,59,0.35)", width: 1, points: { show: false } },
    { scale: "mm", stroke: "#0b5d3b", width: 2, points: { show: spanDays <= kMarkersUpToDays, size: 5 } },
  ];
  const data: uPlot.AlignedData = [x, low, high, eto];
  const axes: uPlot.Axis[] = [
    {
      splits: (u) => axisSplits(x, u.bbox.width / devicePixelRatio),
      values: (_u, splits) => axisLabels(lang, splits, spanDays),
    },
    { scale: "mm", label: t("chart.eto_axis"), values: (_u, splits) => splits.map((s) => formatNumber(lang, s, 1)) },
  ];
  if (rained) {
    series.push({
      scale: "p",
      stroke: "#2f6fb3",
      fill: "rgba(47,111,179,0.35)",
      paths: uPlot.paths.bars?.({ size: [0.6, 40] }),
      points: { show: false },
    });
    // A dry day has no bar (a zero-height bar would draw a dash on the axis).
    data.push(precip.map((p) => (p === 0 ? null : p)));
    axes.push({
      scale: "p",
      side: 1,
      label: t("chart.precip_axis"),
      grid: { show: false },
      values: (_u, splits) => splits.map((s) => formatNumber(lang, s, Number.isInteger(s) ? 0 : 1)),
    });
  }

  const options: uPlot.Options = {
    width: width(),
    height: height(),
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
    scales: {
      x: { time: true, range: (_u, min, max) => [min - kDay / 2, max + kDay / 2] },
      mm: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      p: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.2)] },
    },
    axes,
    series,
    bands: [{ series: [2, 1], fill: "rgba(11,93,59,0.15)" }],
    legend: { show: false },
    cursor: { y: false },
    hooks: {
      drawClear: [
        (u) => {
          if (forecastX === null) return;
          const left = Math.max(u.bbox.left, u.valToPos(forecastX, "x", true));
          const ctx = u.ctx;
          ctx.save();
          ctx.fillStyle = "rgba(245,183,0,0.14)";
          ctx.fillRect(left, u.bbox.top, u.bbox.left + u.bbox.width - left, u.bbox.height);
          ctx.fillStyle = "#6b5200";
          ctx.font = `${Math.round(12 * devicePixelRatio)}px system-ui, sans-serif`;
          ctx.fillText(t("chart.forecast"), left + 6 * devicePixelRatio, u.bbox.top + 14 * devicePixelRatio);
          ctx.restore();
        },
      ],
      setCursor: [
        (u) => {
          const index = u.cursor.idx;
          showLegend(index === null || index === undefined ? days.length - 1 : index);
        },
      ],
    },
  };
  const plot = new uPlot(options, data, plotBox);
  showLegend(days.length - 1);
  const canvas = plotBox.querySelector("canvas");
  canvas?.setAttribute("role", "img");
  canvas?.setAttribute("aria-label", t("chart.title"));
  const resize = new ResizeObserver(() => {
    if (Math.abs(plot.width - width()) > 1 || plot.height !== height()) plot.setSize({ width: width(), height: height() });
  });
  resize.observe(plotBox);
  return () => {
    resize.disconnect();
    plot.destroy();
  };
}
