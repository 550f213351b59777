import { describe, expect, it } from "vitest";
import { checkElevation, checkLatitude, checkLongitude, checkPeriod } from "./validation";

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
