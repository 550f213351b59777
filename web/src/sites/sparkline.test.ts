import { describe, expect, it } from "vitest";
import { sparklinePath } from "./sparkline";

describe("sparkline", () => {
  it("scales values into the box and breaks at missing days", () => {
    expect(sparklinePath([0, 2, null, 4], 30, 10, 4)).toBe("M0.0 10.0 L10.0 5.0 M30.0 0.0");
  });
  it("draws nothing without values", () => {
    expect(sparklinePath([null, null], 30, 10, 0)).toBe("");
  });
});
