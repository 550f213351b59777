// A small line chart as inline SVG: the node cards' last 10 minutes (no canvas, no library).
const kSvg = "http://www.w3.org/2000/svg";

/// An <svg> of `values` scaled to its own range (or [0, max] when `fromZero`), labelled `label`.
export function sparkline(values: number[], label: string, options: { fromZero?: boolean; max?: number } = {}): SVGSVGElement {
  const width = 120;
  const height = 32;
  const svg = document.createElementNS(kSvg, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "sparkline");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.dataset.points = String(values.length);
  if (values.length === 0) return svg;
  const low = options.fromZero ? 0 : Math.min(...values);
  const high = Math.max(options.max ?? -Infinity, ...values);
  const span = high - low || 1;
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((value, i) => `${(i * step).toFixed(1)},${(height - 2 - ((value - low) / span) * (height - 4)).toFixed(1)}`);
  const line = document.createElementNS(kSvg, "polyline");
  line.setAttribute("points", values.length === 1 ? `0,${points[0].split(",")[1]} ${width},${points[0].split(",")[1]}` : points.join(" "));
  svg.append(line);
  return svg;
}
