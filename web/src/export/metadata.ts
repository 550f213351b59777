// What a download came from, written at its head (CSV) or on its own sheet (XLSX): the point,
// its elevation and time zone, the method, the sources, the period, the warnings, the evapo
// version and when it was exported.
import { formatCoordinates, formatDate, formatNumber, isPresent } from "../format";
import { kMessages, type Locale } from "../i18n/i18n";
import type { CalculationRequest, SuccessData } from "../protocol";
import { warningText } from "../warnings";

export interface ExportSource {
  result: SuccessData;
  request: CalculationRequest;
  /// The place name, when the point came from the search.
  placeName?: string;
  /// evapo's version, from the server ("" when unknown).
  version: string;
  exportedAt: Date;
}

function message(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const text = kMessages[locale][key] ?? kMessages.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name: string) => String(params[name] ?? `{${name}}`));
}

/// "UTC−03:00".
export function utcOffsetText(seconds: number): string {
  const sign = seconds < 0 ? "−" : "+";
  const minutes = Math.round(Math.abs(seconds) / 60);
  return `UTC${sign}${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

/// [label, value] pairs in `locale`.
export function exportMetadata(locale: Locale, source: ExportSource): [string, string][] {
  const { result, request } = source;
  const where = result.location;
  const latitude = where?.latitude ?? request.latitude;
  const longitude = where?.longitude ?? request.longitude;
  const point = formatCoordinates(locale, latitude, longitude);
  const elevation = isPresent(where?.elevation_m)
    ? `${formatNumber(locale, where.elevation_m, 0)} m${
        where?.elevation_source ? ` (${message(locale, `elevation_source.${where.elevation_source}`)})` : ""
      }`
    : message(locale, "results.missing");
  const zone =
    typeof where?.time_zone === "string" && where.time_zone
      ? `${where.time_zone}${typeof where.utc_offset_seconds === "number" ? ` (${utcOffsetText(where.utc_offset_seconds)})` : ""}`
      : typeof where?.utc_offset_seconds === "number"
        ? utcOffsetText(where.utc_offset_seconds)
        : message(locale, "results.missing");
  const used = new Set(result.results.flatMap((day) => day.sources ?? []));
  const sources = [...used].map((s) => message(locale, `source.${s}`)).join(", ") || message(locale, "results.missing");
  const days = result.results;
  const first = days[0]?.date ?? request.start_date;
  const last = days[days.length - 1]?.date ?? request.end_date;
  const mode = message(locale, `period.mode.${request.mode ?? "historical"}`);
  const warnings = (result.warnings ?? []).map((w) => warningText(locale, w));
  return [
    [message(locale, "meta.title"), message(locale, "meta.title_value")],
    [message(locale, "meta.point"), source.placeName ? `${source.placeName} (${point})` : point],
    [message(locale, "meta.elevation"), elevation],
    [message(locale, "meta.time_zone"), zone],
    [message(locale, "meta.method"), message(locale, "meta.method_value")],
    [message(locale, "meta.sources"), sources],
    [message(locale, "meta.period"), `${formatDate(locale, first)} – ${formatDate(locale, last)} (${mode})`],
    [message(locale, "meta.warnings"), warnings.length ? warnings.join(" | ") : message(locale, "meta.no_warnings")],
    [message(locale, "meta.version"), source.version ? `evapo ${source.version}` : "evapo"],
    [message(locale, "meta.exported"), source.exportedAt.toISOString()],
  ];
}
