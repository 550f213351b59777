import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { DailyResult } from "../protocol";
import { buildTable, summarise } from "../results_table";
import { tableToCsv } from "./csv";
import { exportMetadata } from "./metadata";
import { columnName, dateSerial, tableToXlsx } from "./xlsx";

const days: DailyResult[] = [
  {
    date: "2024-03-05",
    eto_mm: 4.567,
    eto_sd_mm: 0.213,
    quality: "high",
    sources: ["nasa_power", "open_meteo_archive"],
    tmax_c: 31.26,
    tmin_c: 19.04,
    rh_mean_pct: 71.6,
    u2_m_s: 1.84,
    rs_mj_m2: 22.35,
    precip_mm: 12,
    p_minus_eto_mm: 7.433,
  },
  {
    date: "2024-03-06",
    eto_mm: 3.1,
    eto_sd_mm: null,
    quality: "low",
    sources: ["nasa_power"],
    tmax_c: 28,
    tmin_c: 18.5,
    rh_mean_pct: null,
    u2_m_s: 2,
    rs_mj_m2: 15.04,
    precip_mm: 0,
    p_minus_eto_mm: -3.1,
  },
];

const request = { latitude: -22.725, longitude: -47.649, start_date: "2024-03-05", end_date: "2024-03-06", mode: "historical" as const };
const result = {
  results: days,
  warnings: [{ code: "source_days_missing", params: { source: "nasa_power", days: 2 }, message: "nasa_power: 2 days without any data" }],
  location: { latitude: -22.725, longitude: -47.649, elevation_m: 547, elevation_source: "open_meteo", utc_offset_seconds: -10800 },
};
const source = { result, request, placeName: "Piracicaba, São Paulo, Brasil", version: "0.1.0", exportedAt: new Date("2024-03-07T12:00:00Z") };

describe("results table", () => {
  it("puts ETo, its uncertainty, quality and rain first, sources as short tags", () => {
    const pt = buildTable("pt-BR", days);
    expect(pt.headers.slice(0, 7)).toEqual(["Data", "ETo (mm)", "± dp (mm)", "Qualidade", "Chuva (mm)", "P − ETo (mm)", "Fontes"]);
    expect(pt.rows[0].map((c) => c.text)).toEqual([
      "05/03/2024", "4,57", "0,21", "alta", "12,0", "7,43", "POWER OM-A", "31,3", "19,0", "72", "1,8", "22,4",
    ]);
    expect(pt.rows[0][6].title).toBe("NASA POWER, Open-Meteo Arquivo");
    expect(pt.rows[0][0].date).toBe("2024-03-05");
    expect(pt.rows[1][2]).toEqual({ text: "—", number: null, digits: 2 });
    expect(buildTable("en", days).rows[0][0].text).toBe("5 Mar 2024");
    expect(buildTable("en", days).rows[0][1]).toEqual({ text: "4.57", number: 4.57, digits: 2 });
  });

  it("the exported number equals the shown text, also at half-way values", () => {
    const day = { ...days[0], p_minus_eto_mm: -0.055, eto_mm: 2.675, tmax_c: -0.05 };
    for (const locale of ["en", "pt-BR"] as const) {
      for (const cell of buildTable(locale, [day]).rows[0]) {
        if (cell.number !== null) expect(cell.number).toBe(Number(cell.text.replace(",", ".")));
      }
    }
  });

  it("summarises total, mean, min, max and balance", () => {
    const s = summarise(days);
    expect(s.days).toBe(2);
    expect(s.total_eto_mm).toBeCloseTo(7.667, 6);
    expect(s.mean_eto_mm).toBeCloseTo(3.8335, 6);
    expect(s.min_eto_mm).toBe(3.1);
    expect(s.max_eto_mm).toBe(4.567);
    expect(s.total_precip_mm).toBe(12);
    expect(s.balance_mm).toBeCloseTo(4.333, 6);
  });
});

describe("export metadata", () => {
  it("says where, which elevation and zone, method, sources, period, warnings and version", () => {
    const meta = Object.fromEntries(exportMetadata("en", source));
    expect(meta.Point).toBe("Piracicaba, São Paulo, Brasil (-22.7250°, -47.6490°)");
    expect(meta.Elevation).toBe("547 m (Open-Meteo)");
    expect(meta["Time zone"]).toBe("UTC−03:00");
    expect(meta.Method).toMatch(/FAO-56 Penman-Monteith/);
    expect(meta.Sources).toBe("NASA POWER, Open-Meteo Archive");
    expect(meta.Period).toBe("5 Mar 2024 – 6 Mar 2024 (Historical (past days))");
    expect(meta.Warnings).toMatch(/^NASA POWER has no data for 2 days/);
    expect(meta["evapo version"]).toBe("evapo 0.1.0");
    expect(meta.Exported).toBe("2024-03-07T12:00:00.000Z");
    const pt = Object.fromEntries(exportMetadata("pt-BR", { ...source, result: { ...result, location: { ...result.location, time_zone: "America/Sao_Paulo" } } }));
    expect(pt["Fuso horário"]).toBe("America/Sao_Paulo (UTC−03:00)");
    expect(pt["Avisos"]).toMatch(/^NASA POWER não tem dados para 2 dias/);
  });
});

describe("CSV export", () => {
  it("pt-BR uses ';' and the decimal comma, after a '#' metadata block and an empty line", () => {
    const csv = tableToCsv(buildTable("pt-BR", days), "pt-BR", exportMetadata("pt-BR", source));
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    const blank = lines.indexOf("");
    expect(lines.slice(0, blank).every((line) => line.startsWith("# "))).toBe(true);
    expect(lines[1]).toBe("# Ponto;Piracicaba, São Paulo, Brasil (-22,7250°, -47,6490°)");
    const table = lines.slice(blank + 1);
    expect(table[0]).toBe(
      "Data;ETo (mm);± dp (mm);Qualidade;Chuva (mm);P − ETo (mm);Fontes;Tmáx (°C);Tmín (°C);UR (%);Vento u2 (m/s);Radiação (MJ/m²)",
    );
    expect(table[1]).toBe("05/03/2024;4,57;0,21;alta;12,0;7,43;POWER OM-A;31,3;19,0;72;1,8;22,4");
    expect(table[2]).toBe("06/03/2024;3,10;—;baixa;0,0;-3,10;POWER;28,0;18,5;—;2,0;15,0");
    expect(table[3]).toBe("");
    expect(csv.startsWith("\uFEFF")).toBe(true);
  });

  it("en uses ',' and quotes fields containing it", () => {
    const lines = tableToCsv(buildTable("en", days), "en", exportMetadata("en", source)).replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[1]).toBe('# Point,"Piracicaba, São Paulo, Brasil (-22.7250°, -47.6490°)"');
    const table = lines.slice(lines.indexOf("") + 1);
    expect(table[0].split(",")[0]).toBe("Date");
    expect(table[1]).toBe("5 Mar 2024,4.57,0.21,high,12.0,7.43,POWER OM-A,31.3,19.0,72,1.8,22.4");
  });
});

describe("XLSX export", () => {
  const read = (locale: "en" | "pt-BR") => {
    const files = unzipSync(tableToXlsx(buildTable(locale, days), locale, exportMetadata(locale, source), ["ETo", "Metadata"]));
    const parse = (name: string) => new DOMParser().parseFromString(strFromU8(files[name]), "application/xml");
    return { files, parse };
  };

  it("has the results sheet with real dates, widths and a frozen header, and a metadata sheet", () => {
    const { files, parse } = read("en");
    expect(Object.keys(files).sort()).toEqual(
      ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"].sort(),
    );
    const sheet = parse("xl/worksheets/sheet1.xml");
    expect(sheet.getElementsByTagName("parsererror")).toHaveLength(0);
    const pane = sheet.getElementsByTagName("pane")[0];
    expect(pane.getAttribute("state")).toBe("frozen");
    expect(pane.getAttribute("ySplit")).toBe("1");
    expect(sheet.getElementsByTagName("col")).toHaveLength(12);
    const rows = [...sheet.getElementsByTagName("row")].map((row) => [...row.getElementsByTagName("c")]);
    expect(rows).toHaveLength(3);
    const date = rows[1][0];
    expect(date.getAttribute("t")).toBeNull();
    expect(date.getElementsByTagName("v")[0].textContent).toBe(String(dateSerial("2024-03-05")));
    expect(dateSerial("2024-03-05")).toBe(45356);
    const styles = parse("xl/styles.xml");
    const xf = styles.getElementsByTagName("cellXfs")[0].getElementsByTagName("xf")[Number(date.getAttribute("s"))];
    const format = [...styles.getElementsByTagName("numFmt")].find((f) => f.getAttribute("numFmtId") === xf.getAttribute("numFmtId"));
    expect(format?.getAttribute("formatCode")).toBe("d mmm yyyy");
    expect(rows[1][1].getElementsByTagName("v")[0].textContent).toBe("4.57");
    expect(rows[2][2].textContent).toBe("—");
    const meta = parse("xl/worksheets/sheet2.xml");
    const metaRows = [...meta.getElementsByTagName("row")].map((row) => [...row.getElementsByTagName("t")].map((t) => t.textContent));
    expect(metaRows).toContainEqual(["evapo version", "evapo 0.1.0"]);
    const workbook = strFromU8(files["xl/workbook.xml"]);
    expect(workbook).toContain('name="ETo"');
    expect(workbook).toContain('name="Metadata"');
  });

  it("pt-BR dates are dd/mm/yyyy", () => {
    const { parse } = read("pt-BR");
    const date = parse("xl/worksheets/sheet1.xml").getElementsByTagName("row")[1].getElementsByTagName("c")[0];
    const styles = parse("xl/styles.xml");
    const xf = styles.getElementsByTagName("cellXfs")[0].getElementsByTagName("xf")[Number(date.getAttribute("s"))];
    expect(xf.getAttribute("numFmtId")).toBe("168");
  });

  it("names columns like a spreadsheet", () => {
    expect([0, 11, 25, 26, 27, 701, 702].map(columnName)).toEqual(["A", "L", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});
