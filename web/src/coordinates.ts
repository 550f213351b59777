// Coordinates as people type them: decimal degrees ("-22.7", "-22,7", "22.7 S") or degrees,
// minutes and seconds ("22°42'30\"S", "22 42 30 S", "S 22° 42.5'"). Portuguese hemisphere
// letters are understood too (L = leste/east, O = oeste/west).

export type Axis = "latitude" | "longitude";

const kNegative: Record<Axis, string> = { latitude: "S", longitude: "WO" };
const kPositive: Record<Axis, string> = { latitude: "N", longitude: "EL" };

/// Degrees from `text` for `axis`, or NaN when it is not a coordinate (range not checked).
export function parseCoordinate(text: string, axis: Axis): number {
  let rest = text.trim().toUpperCase().replace(/,/g, ".");
  if (rest === "") return Number.NaN;
  let sign = 1;
  const hemisphere = /^([A-Z])\s*|\s*([A-Z])$/.exec(rest);
  if (hemisphere) {
    const letter = hemisphere[1] ?? hemisphere[2];
    if (kNegative[axis].includes(letter)) sign = -1;
    else if (!kPositive[axis].includes(letter)) return Number.NaN;
    rest = rest.replace(hemisphere[0], "").trim();
  }
  // Degree, minute and second marks (ASCII and typographic) become spaces.
  const parts = rest
    .replace(/[°º˚d'′’"″”]|''/g, " ")
    .trim()
    .split(/\s+/);
  if (parts.length === 0 || parts.length > 3 || parts[0] === "") return Number.NaN;
  const numbers = parts.map((part, i) =>
    /^[+-]?(\d+\.?\d*|\.\d+)$/.test(part) && (i === 0 || !/^[+-]/.test(part)) ? Number(part) : Number.NaN,
  );
  if (numbers.some(Number.isNaN)) return Number.NaN;
  const [degrees, minutes = 0, seconds = 0] = numbers;
  if (minutes >= 60 || seconds >= 60) return Number.NaN;
  // Only the last part may have decimals: "22.5 30" is not a coordinate.
  if (parts.slice(0, -1).some((part) => part.includes("."))) return Number.NaN;
  if (hemisphere && /^[+-]/.test(parts[0])) return Number.NaN;
  const magnitude = Math.abs(degrees) + minutes / 60 + seconds / 3600;
  const negative = sign < 0 || parts[0].startsWith("-");
  return negative ? -magnitude : magnitude;
}

/// A latitude/longitude pair typed in one box ("-22.7, -47.6", "22°42'S 47°38'W"), or null.
export function parseCoordinatePair(text: string): { latitude: number; longitude: number } | null {
  const trimmed = text.trim();
  // Two decimals separated by a comma, semicolon or space ("-22.7, -47.6", "-22.7 -47.6").
  const decimals = /^([+-]?\d+(?:\.\d+)?)\s*[,;\s]\s*([+-]?\d+(?:\.\d+)?)$/.exec(trimmed);
  if (decimals) return checked(Number(decimals[1]), Number(decimals[2]));
  // Otherwise split after the latitude's hemisphere letter: "22°42'S 47°38'W".
  const split = /^(.*?[NS])[\s,;]*(.+[EWLO])$/i.exec(trimmed);
  if (!split) return null;
  return checked(parseCoordinate(split[1], "latitude"), parseCoordinate(split[2], "longitude"));
}

function checked(latitude: number, longitude: number): { latitude: number; longitude: number } | null {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  return { latitude, longitude };
}

/// "22°42'30.0\"S" style text of a coordinate, to one tenth of a second.
export function formatDms(value: number, axis: Axis): string {
  const hemisphere = axis === "latitude" ? (value < 0 ? "S" : "N") : value < 0 ? "W" : "E";
  let tenths = Math.round(Math.abs(value) * 36000);
  const degrees = Math.floor(tenths / 36000);
  tenths -= degrees * 36000;
  const minutes = Math.floor(tenths / 600);
  tenths -= minutes * 600;
  return `${degrees}°${String(minutes).padStart(2, "0")}′${(tenths / 10).toFixed(1).padStart(4, "0")}″${hemisphere}`;
}
