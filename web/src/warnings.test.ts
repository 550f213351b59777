import { describe, expect, test } from "vitest";
import { kMessages } from "./i18n/i18n";
import { readWarning, warningText } from "./warnings";

const kCodes = [
  "over_sea",
  "elevation_below_sea_level",
  "elevation_offline",
  "elevation_unknown",
  "source_failed",
  "source_no_data",
  "source_days_missing",
  "source_variable_missing",
  "source_values_discarded",
  "source_notice",
  "utc_offset_estimated",
];

describe("warnings in the user's language", () => {
  test("every code the server sends has a message in both languages", () => {
    for (const code of kCodes) {
      for (const locale of ["en", "pt-BR"] as const) {
        const keys = Object.keys(kMessages[locale]).filter((k) => k === `warning.${code}` || k.startsWith(`warning.${code}.`));
        expect(keys.length, `${locale} warning.${code}`).toBeGreaterThan(0);
      }
    }
  });

  test("sources and variables by name, plurals right, no internal ids", () => {
    const warning = readWarning({
      code: "source_variable_missing",
      params: { source: "nasa_power", variable: "radiation", days: 5 },
      message: "nasa_power: radiation missing on 5 days",
    });
    expect(warningText("en", warning)).toBe("NASA POWER lacks solar radiation on 5 days.");
    expect(warningText("pt-BR", warning)).toBe("NASA POWER não tem radiação solar em 5 dias.");
    const one = readWarning({ code: "source_days_missing", params: { source: "open_meteo_archive", days: 1 }, message: "" });
    expect(warningText("en", one)).toMatch(/^Open-Meteo Archive has no data for 1 day\b/);
    expect(warningText("pt-BR", one)).toMatch(/^Open-Meteo Arquivo não tem dados para 1 dia\b/);
    for (const text of [warningText("en", warning), warningText("pt-BR", warning)]) {
      expect(text).not.toMatch(/nasa_power|ALLSKY|_/);
    }
  });

  test("the over-sea warning gives the distance", () => {
    const sea = readWarning({ code: "over_sea", params: { distance_km: 230 }, message: "" });
    expect(warningText("pt-BR", sea)).toContain("230 km");
  });

  test("an unknown code or a plain string falls back to the server's sentence", () => {
    expect(warningText("pt-BR", readWarning("nws: something new"))).toBe("nws: something new");
    expect(warningText("pt-BR", readWarning({ code: "brand_new", params: {}, message: "brand new thing" }))).toBe("brand new thing");
  });
});
