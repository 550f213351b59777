// A site's last 30 days of ETo as a tiny inline SVG line: observed days solid, forecast days
// dashed; a day without a value breaks the line.
import type { SiteDay } from "./sites_api";

const kNs = "http://www.w3.org/2000/svg";

/// Path commands for `values` scaled into width x height (null breaks the line).
export function sparklinePath(values: (number | null)[], width: number, height: number, max: number): string {
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  let path = "";
  let pen = false;
  values.forEach((value, i) => {
    if (value === null) {
      pen = false;
      return;
    }
    const x = (i * step).toFixed(1);
    const y = (height - (height * value) / (max || 1)).toFixed(1);
    path += `${pen ? "L" : "M"}${x} ${y} `;
    pen = true;
  });
  return path.trim();
}

export function sparkline(days: readonly SiteDay[], label: string, width = 120, height = 28): SVGSVGElement {
  const svg = document.createElementNS(kNs, "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("width", String(width));
  svg.setAttribute("height", String(height));
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.classList.add("sparkline");
  const max = Math.max(0, ...days.map((d) => d.eto_mm ?? 0)) * 1.1;
  const firstForecast = days.findIndex((d) => d.kind === "forecast");
  const observed = days.map((d) => (d.kind === "observed" ? d.eto_mm : null));
  // The forecast line starts at the last observed day so that the two join.
  const forecast = days.map((d, i) => (d.kind === "forecast" || (firstForecast > 0 && i === firstForecast - 1) ? d.eto_mm : null));
  for (const [kind, values] of [["observed", observed], ["forecast", forecast]] as const) {
    const line = document.createElementNS(kNs, "path");
    line.setAttribute("d", sparklinePath(values, width, height, max));
    line.setAttribute("class", `sparkline-${kind}`);
    svg.append(line);
  }
  return svg;
}
