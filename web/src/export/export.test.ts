import { strFromU8, unzipSync } from "fflate";
import { describe, expect, it } from "vitest";
import type { DailyResult } from "../protocol";
import { buildTable, summarise } from "../results_table";
import { tableToCsv } from "./csv";
import { columnName, tableToXlsx } from "./xlsx";

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

describe("results table", () => {
  it("formats cells per locale and marks missing values", () => {
    const pt = buildTable("pt-BR", days);
    expect(pt.headers[0]).toBe("Data");
    expect(pt.rows[0].map((c) => c.text)).toEqual([
      "05/03/2024", "4,57", "0,21", "alta", "NASA POWER, Open-Meteo Arquivo", "31,3", "19,0", "72", "1,8", "22,4", "12,0", "7,43",
    ]);
    expect(pt.rows[1][2]).toEqual({ text: "—", number: null, digits: 2 });
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

describe("CSV export", () => {
  it("pt-BR uses ';' and the decimal comma", () => {
    const csv = tableToCsv(buildTable("pt-BR", days), "pt-BR");
    const lines = csv.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toBe(
      "Data;ETo (mm);± dp (mm);Qualidade;Fontes;Tmáx (°C);Tmín (°C);UR (%);Vento u2 (m/s);Radiação (MJ/m²);Precipitação (mm);P − ETo (mm)",
    );
    expect(lines[1]).toBe("05/03/2024;4,57;0,21;alta;NASA POWER, Open-Meteo Arquivo;31,3;19,0;72;1,8;22,4;12,0;7,43");
    expect(lines[2]).toBe("06/03/2024;3,10;—;baixa;NASA POWER;28,0;18,5;—;2,0;15,0;0,0;-3,10");
    expect(lines[3]).toBe("");
    expect(csv.startsWith("\uFEFF")).toBe(true);
  });

  it("en uses ',' and quotes fields containing it", () => {
    const lines = tableToCsv(buildTable("en", days), "en").replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0].split(",")[0]).toBe("Date");
    expect(lines[1]).toBe('03/05/2024,4.57,0.21,high,"NASA POWER, Open-Meteo Archive",31.3,19.0,72,1.8,22.4,12.0,7.43');
  });
});

describe("XLSX export", () => {
  it("is a zip with a workbook whose sheet holds exactly the table", () => {
    const bytes = tableToXlsx(buildTable("en", days), "ETo");
    const files = unzipSync(bytes);
    expect(Object.keys(files).sort()).toEqual(
      ["[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels", "xl/styles.xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"].sort(),
    );
    const sheet = strFromU8(files["xl/worksheets/sheet1.xml"]);
    const doc = new DOMParser().parseFromString(sheet, "application/xml");
    expect(doc.getElementsByTagName("parsererror")).toHaveLength(0);
    const rows = [...doc.getElementsByTagName("row")].map((row) =>
      [...row.getElementsByTagName("c")].map((c) => c.getElementsByTagName("v")[0]?.textContent ?? c.textContent),
    );
    expect(rows).toHaveLength(3);
    expect(rows[0][1]).toBe("ETo (mm)");
    expect(rows[1]).toEqual(["03/05/2024", "4.57", "0.21", "high", "NASA POWER, Open-Meteo Archive", "31.3", "19", "72", "1.8", "22.4", "12", "7.43"]);
    expect(rows[2][2]).toBe("—");
    expect(strFromU8(files["xl/workbook.xml"])).toContain('name="ETo"');
  });

  it("names columns like a spreadsheet", () => {
    expect([0, 11, 25, 26, 27, 701, 702].map(columnName)).toEqual(["A", "L", "Z", "AA", "AB", "ZZ", "AAA"]);
  });
});
