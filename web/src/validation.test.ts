import { describe, expect, it } from "vitest";
import { checkElevation, checkLatitude, checkLongitude, checkPeriod, checkSources, sourceProblem } from "./validation";

describe("coordinate validation", () => {
  it.each([
    ["", "validation.required"],
    ["north", "validation.not_number"],
    ["90.01", "validation.lat_range"],
    ["-91", "validation.lat_range"],
  ])("latitude %j is rejected with %s", (text, reason) => {
    expect(checkLatitude(text)).toEqual({ ok: false, reason });
  });
  it.each([
    ["-22,7", -22.7],
    ["90", 90],
    ["-90", -90],
  ])("latitude %j is %d", (text, value) => expect(checkLatitude(text)).toEqual({ ok: true, value }));
  it("longitude range is -180..180", () => {
    expect(checkLongitude("180")).toEqual({ ok: true, value: 180 });
    expect(checkLongitude("-180.5")).toEqual({ ok: false, reason: "validation.lon_range" });
  });
  it("elevation is optional but bounded", () => {
    expect(checkElevation("")).toEqual({ ok: true, value: null });
    expect(checkElevation("546")).toEqual({ ok: true, value: 546 });
    expect(checkElevation("12000")).toEqual({ ok: false, reason: "validation.elev_range" });
  });
});

describe("period validation follows the server's mode rules", () => {
  const today = "2024-06-10";
  it.each([
    ["historical", "2024-06-01", "2024-06-09", null],
    ["historical", "2024-06-01", "2024-06-10", "validation.historical_end"],
    ["historical", "1989-12-31", "1990-01-05", "validation.before_1990"],
    ["historical", "2022-01-01", "2023-01-02", "validation.historical_span"],
    ["historical", "2024-06-05", "2024-06-01", "validation.dates_order"],
    ["recent", "2024-06-04", "2024-06-10", null],
    ["recent", "2024-05-28", "2024-06-10", null],
    ["recent", "2024-06-05", "2024-06-10", "validation.recent_span"],
    ["recent", "2024-05-20", "2024-05-26", "validation.recent_end"],
    ["forecast", "2024-06-10", "2024-06-15", null],
    ["forecast", "2024-06-12", "2024-06-15", "validation.forecast_start"],
    ["forecast", "2024-06-10", "2024-06-18", "validation.forecast_end"],
    ["forecast", "", "2024-06-18", "validation.date_required"],
  ] as const)("%s %s..%s → %s", (mode, start, end, reason) => {
    expect(checkPeriod(mode, start, end, today)?.reason ?? null).toBe(reason);
  });
});

describe("coordinates in degrees, minutes and seconds", () => {
  it("are read as the server's decimal degrees", () => {
    const lat = checkLatitude("22°43'31\"S");
    expect(lat.ok && lat.value).toBeCloseTo(-22.7253, 4);
    expect(checkLongitude("47 38 57 W")).toMatchObject({ ok: true });
    expect(checkLatitude("91°N")).toEqual({ ok: false, reason: "validation.lat_range" });
  });
});

describe("source choices the server could not serve are caught in the form", () => {
  const today = "2024-06-10";
  const piracicaba = { latitude: -22.7, longitude: -47.6 };
  const fallon = { latitude: 39.46, longitude: -118.78 };
  it("NASA POWER has no forecast; MET Norway and NWS only forecast", () => {
    expect(sourceProblem("nasa_power", "forecast", piracicaba, "2024-06-10", "2024-06-15", today)).toBe("validation.source_no_forecast");
    expect(sourceProblem("met_norway", "historical", piracicaba, "2024-01-01", "2024-01-31", today)).toBe("validation.source_forecast_only");
    expect(sourceProblem("nws", "forecast", piracicaba, "2024-06-10", "2024-06-15", today)).toBe("validation.source_usa_only");
    expect(sourceProblem("nws", "forecast", fallon, "2024-06-10", "2024-06-15", today)).toBeNull();
    expect(sourceProblem("open_meteo_forecast", "historical", piracicaba, "2020-01-01", "2020-01-31", today)).toBe("validation.source_dates");
  });
  it("a hand-picked set needs at least one source that serves the request", () => {
    expect(checkSources(null, "forecast", piracicaba, "2024-06-10", "2024-06-15", today)).toBeNull();
    expect(checkSources([], "historical", piracicaba, "2024-01-01", "2024-01-31", today)).toBe("validation.sources_none");
    expect(checkSources(["nasa_power"], "forecast", piracicaba, "2024-06-10", "2024-06-15", today)).toBe("validation.sources_unusable");
    expect(checkSources(["nasa_power", "open_meteo_forecast"], "forecast", piracicaba, "2024-06-10", "2024-06-15", today)).toBeNull();
  });
});
