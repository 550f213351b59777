import { describe, expect, it } from "vitest";
import { addDays, formatDate, formatDayMonth, formatMonthYear, formatNumber, localTodayAt, parseDecimal, splitElapsed } from "./format";

describe("formatNumber", () => {
  it.each([
    ["en", 4.567, 2, "4.57"],
    ["pt-BR", 4.567, 2, "4,57"],
    ["en", 1234.5, 1, "1234.5"],
    ["pt-BR", 1234.5, 1, "1234,5"],
    ["en", -0.001, 2, "0.00"],
    ["pt-BR", -1.25, 1, "-1,3"],
    ["en", 62, 0, "62"],
  ] as const)("%s %d with %d digits is %s", (locale, value, digits, expected) => {
    expect(formatNumber(locale, value, digits)).toBe(expected);
  });

  it("shows missing values as a dash", () => {
    expect(formatNumber("en", null, 2)).toBe("—");
    expect(formatNumber("pt-BR", undefined, 2)).toBe("—");
    expect(formatNumber("en", Number.NaN, 2, "")).toBe("");
  });
});

describe("formatDate", () => {
  it("is unambiguous and never shifts the day", () => {
    expect(formatDate("en", "2024-03-05")).toBe("5 Mar 2024");
    expect(formatDate("en", "2024-12-31")).toBe("31 Dec 2024");
    expect(formatDate("pt-BR", "2024-03-05")).toBe("05/03/2024");
    expect(formatDate("pt-BR", "2024-12-31")).toBe("31/12/2024");
  });
  it("axis labels carry the year when asked", () => {
    expect(formatDayMonth("en", "2024-03-05", false)).toBe("5 Mar");
    expect(formatDayMonth("en", "2024-03-05", true)).toBe("5 Mar 2024");
    expect(formatDayMonth("pt-BR", "2024-03-05", true)).toMatch(/^5 de mar\.? de 2024$/);
    expect(formatMonthYear("en", "2024-03-05")).toBe("Mar 2024");
  });
});

describe("parseDecimal", () => {
  it.each([
    ["-22.7", -22.7],
    ["-22,7", -22.7],
    [" 45 ", 45],
    ["+.5", 0.5],
  ])("parses %s", (text, value) => expect(parseDecimal(text)).toBe(value));
  it.each(["", "abc", "1.2.3", "1e5", "--1", "12a"])("rejects %s", (text) => expect(parseDecimal(text)).toBeNaN());
});

describe("dates", () => {
  it("adds days across months and years", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-01-01", -1)).toBe("2023-12-31");
  });
  it("estimates the location's local day from its longitude", () => {
    const now = new Date("2024-06-10T23:30:00Z");
    expect(localTodayAt(0, now)).toBe("2024-06-10");
    expect(localTodayAt(150, now)).toBe("2024-06-11");
    expect(localTodayAt(-47.6, new Date("2024-06-11T01:00:00Z"))).toBe("2024-06-10");
  });
  it("splits elapsed seconds", () => {
    expect(splitElapsed(125.9)).toEqual({ m: 2, s: 5 });
    expect(splitElapsed(-3)).toEqual({ m: 0, s: 0 });
  });
});
