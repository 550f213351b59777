import { describe, expect, test } from "vitest";
import { formatDms, parseCoordinate, parseCoordinatePair } from "./coordinates";

describe("parseCoordinate", () => {
  test.each([
    ["-22.7", "latitude", -22.7],
    ["-22,7", "latitude", -22.7],
    ["22.7 S", "latitude", -22.7],
    ["S 22.7", "latitude", -22.7],
    ["22°42'S", "latitude", -22.7],
    ["22°42'30\"S", "latitude", -(22 + 42 / 60 + 30 / 3600)],
    ["22 42 30 S", "latitude", -(22 + 42 / 60 + 30 / 3600)],
    ["22° 42.5′ S", "latitude", -(22 + 42.5 / 60)],
    ["47°38′W", "longitude", -(47 + 38 / 60)],
    ["47°38′O", "longitude", -(47 + 38 / 60)],
    ["47°38′ L", "longitude", 47 + 38 / 60],
    ["-47 38", "longitude", -(47 + 38 / 60)],
    ["10", "longitude", 10],
  ] as const)("%s (%s) = %f", (text, axis, expected) => {
    expect(parseCoordinate(text, axis)).toBeCloseTo(expected, 9);
  });

  test.each([
    ["", "latitude"],
    ["abc", "latitude"],
    ["22.7 W", "latitude"],
    ["47 E", "latitude"],
    ["22 61", "latitude"],
    ["22.5 30", "latitude"],
    ["-22 S", "latitude"],
    ["1 2 3 4", "latitude"],
    ["12abc", "longitude"],
  ] as const)("%s is not a %s", (text, axis) => {
    expect(parseCoordinate(text, axis)).toBeNaN();
  });
});

describe("parseCoordinatePair", () => {
  test("decimal pairs", () => {
    expect(parseCoordinatePair("-22.7, -47.6")).toEqual({ latitude: -22.7, longitude: -47.6 });
    expect(parseCoordinatePair("-22.7 -47.6")).toEqual({ latitude: -22.7, longitude: -47.6 });
    expect(parseCoordinatePair("39.46;-118.78")).toEqual({ latitude: 39.46, longitude: -118.78 });
  });
  test("degrees, minutes and seconds", () => {
    const pair = parseCoordinatePair("22°43'31\"S 47°38'57\"W");
    expect(pair?.latitude).toBeCloseTo(-22.72528, 4);
    expect(pair?.longitude).toBeCloseTo(-47.64917, 4);
  });
  test("names and out-of-range pairs are not coordinates", () => {
    expect(parseCoordinatePair("Piracicaba")).toBeNull();
    expect(parseCoordinatePair("95, 10")).toBeNull();
    expect(parseCoordinatePair("São Paulo")).toBeNull();
  });
});

test("formatDms", () => {
  expect(formatDms(-22.72528, "latitude")).toBe("22°43′31.0″S");
  expect(formatDms(-47.64917, "longitude")).toBe("47°38′57.0″W");
  expect(formatDms(0.5, "longitude")).toBe("0°30′00.0″E");
});
