// A minimal Office Open XML workbook zipped with fflate: the results on the first sheet (numbers
// as numeric cells with the table's decimals, days as real dates, column widths, the header row
// frozen) and what they came from on the second. ~10 KB of code instead of a spreadsheet
// library of several hundred KB.
import { strToU8, zipSync } from "fflate";
import type { Locale } from "../i18n/i18n";
import type { TableModel } from "../results_table";

function escapeXml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    // Characters XML 1.0 forbids.
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, "");
}

/// Spreadsheet column name of 0-based index (0 → A, 26 → AA).
export function columnName(index: number): string {
  let name = "";
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  }
  return name;
}

/// The spreadsheet serial of ISO day "YYYY-MM-DD" (days since 1899-12-30, Excel's and
/// LibreOffice's epoch for dates after 1900-03-01).
export function dateSerial(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(1899, 11, 30)) / 86_400_000);
}

// Style ids in styles.xml: 0 default, 1 bold, 2..5 numbers with 0..3 decimals, 6 date as
// "d mmm yyyy" (en), 7 date as "dd/mm/yyyy" (pt-BR), 8 wrapped text.
function numberStyle(digits: number): number {
  return 2 + Math.max(0, Math.min(3, digits));
}
const kDateStyle: Record<Locale, number> = { en: 6, "pt-BR": 7 };
const kWrapStyle = 8;

const kStyles =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  '<numFmts count="5"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="0.000"/>' +
  '<numFmt numFmtId="166" formatCode="0"/><numFmt numFmtId="167" formatCode="d mmm yyyy"/>' +
  '<numFmt numFmtId="168" formatCode="dd/mm/yyyy"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="9"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="167" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="168" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment wrapText="1" vertical="top"/></xf>' +
  "</cellXfs></styleSheet>";

function textCell(at: string, text: string, style = 0): string {
  const s = style ? ` s="${style}"` : "";
  return `<c r="${at}" t="inlineStr"${s}><is><t xml:space="preserve">${escapeXml(text)}</t></is></c>`;
}

function worksheet(parts: { frozenHeader: boolean; widths: number[]; rows: string[] }): string {
  const pane = parts.frozenHeader
    ? '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
    : '<sheetViews><sheetView workbookViewId="0"/></sheetViews>';
  const cols = parts.widths
    .map((width, i) => `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"/>`)
    .join("");
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
    `${pane}<cols>${cols}</cols><sheetData>${parts.rows.join("")}</sheetData></worksheet>`
  );
}

function resultsSheet(table: TableModel, locale: Locale): string {
  const rows: string[] = [];
  rows.push(`<row r="1">${table.headers.map((h, c) => textCell(`${columnName(c)}1`, h, 1)).join("")}</row>`);
  table.rows.forEach((row, r) => {
    const ref = r + 2;
    const cells = row
      .map((cell, c) => {
        const at = `${columnName(c)}${ref}`;
        if (cell.date) return `<c r="${at}" s="${kDateStyle[locale]}"><v>${dateSerial(cell.date)}</v></c>`;
        if (cell.number !== null) return `<c r="${at}" s="${numberStyle(cell.digits)}"><v>${cell.number}</v></c>`;
        return textCell(at, cell.text);
      })
      .join("");
    rows.push(`<row r="${ref}">${cells}</row>`);
  });
  const widths = table.headers.map((header, c) => Math.max(table.widths[c] ?? 10, header.length + 2));
  return worksheet({ frozenHeader: true, widths, rows });
}

function metadataSheet(metadata: readonly [string, string][]): string {
  const rows = metadata.map(
    ([label, value], r) => `<row r="${r + 1}">${textCell(`A${r + 1}`, label, 1)}${textCell(`B${r + 1}`, value, kWrapStyle)}</row>`,
  );
  return worksheet({ frozenHeader: false, widths: [22, 90], rows });
}

const kSheetType = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const kRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// The .xlsx bytes: `table` on a sheet named `sheetNames[0]` and `metadata` (label, value) on
/// one named `sheetNames[1]`; dates formatted for `locale`.
export function tableToXlsx(
  table: TableModel,
  locale: Locale,
  metadata: readonly [string, string][],
  sheetNames: [string, string],
): Uint8Array {
  const [resultsName, metadataName] = sheetNames.map((name) => escapeXml(name.slice(0, 31)));
  const files: Record<string, Uint8Array> = {
    "[Content_Types].xml": strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${kSheetType}"/>` +
        `<Override PartName="/xl/worksheets/sheet2.xml" ContentType="${kSheetType}"/>` +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        "</Types>",
    ),
    "_rels/.rels": strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${kRel}/officeDocument" Target="xl/workbook.xml"/>` +
        "</Relationships>",
    ),
    "xl/workbook.xml": strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' +
        `xmlns:r="${kRel}">` +
        `<sheets><sheet name="${resultsName}" sheetId="1" r:id="rId1"/>` +
        `<sheet name="${metadataName}" sheetId="2" r:id="rId2"/></sheets></workbook>`,
    ),
    "xl/_rels/workbook.xml.rels": strToU8(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${kRel}/worksheet" Target="worksheets/sheet1.xml"/>` +
        `<Relationship Id="rId2" Type="${kRel}/worksheet" Target="worksheets/sheet2.xml"/>` +
        `<Relationship Id="rId3" Type="${kRel}/styles" Target="styles.xml"/>` +
        "</Relationships>",
    ),
    "xl/styles.xml": strToU8(kStyles),
    "xl/worksheets/sheet1.xml": strToU8(resultsSheet(table, locale)),
    "xl/worksheets/sheet2.xml": strToU8(metadataSheet(metadata)),
  };
  return zipSync(files, { level: 6 });
}
