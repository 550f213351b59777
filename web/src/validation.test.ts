import { describe, expect, it } from "vitest";
import { checkElevation, checkLatitude, checkLongitude } from "./validation";

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
