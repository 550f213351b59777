import { describe, expect, test } from "vitest";
import { axisLabels, axisSplits } from "./chart_axis";

const noon = (iso: string): number => Date.parse(`${iso}T12:00:00Z`) / 1000;
const days = (first: string, count: number): number[] =>
  Array.from({ length: count }, (_v, i) => noon(first) + i * 86_400);

describe("the chart's time axis", () => {
  test("a week is labelled under each day, the year on the first label and where it changes", () => {
    const x = days("2024-12-29", 7);
    const splits = axisSplits(x, 900);
    expect(splits).toEqual(x);
    expect(axisLabels("en", splits, 7)).toEqual(["29 Dec 2024", "30 Dec", "31 Dec", "1 Jan 2025", "2 Jan", "3 Jan", "4 Jan"]);
  });

  test("labels stay about 70 px apart on a narrow chart", () => {
    const splits = axisSplits(days("2024-01-01", 30), 300);
    expect(splits.length).toBeLessThanOrEqual(5);
    expect(splits.length).toBeGreaterThanOrEqual(3);
  });

  test("a year is labelled by month with its year, at the first of each month", () => {
    const x = days("2024-01-01", 366);
    const splits = axisSplits(x, 1200);
    expect(splits).toHaveLength(12);
    expect(axisLabels("en", splits, 366).slice(0, 2)).toEqual(["Jan 2024", "Feb 2024"]);
    expect(axisLabels("pt-BR", splits, 366)[0]).toMatch(/^jan\.? de 2024$/);
  });
});
