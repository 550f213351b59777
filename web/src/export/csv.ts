// CSV of the results table in the locale's convention: en uses "," between fields and "." for
// decimals; pt-BR uses ";" and the decimal comma (what a spreadsheet in that locale expects).
import type { Locale } from "../i18n/i18n";
import type { TableModel } from "../results_table";

/// The field separator for `locale`.
export function csvSeparator(locale: Locale): string {
  return locale === "pt-BR" ? ";" : ",";
}

function quote(field: string, separator: string): string {
  return field.includes(separator) || /["\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

/// RFC 4180 text (CRLF line ends) with a UTF-8 byte-order mark so spreadsheets read "°" and "²".
export function tableToCsv(table: TableModel, locale: Locale): string {
  const separator = csvSeparator(locale);
  const lines = [table.headers, ...table.rows.map((row) => row.map((cell) => cell.text))].map((fields) =>
    fields.map((f) => quote(f, separator)).join(separator),
  );
  return `\uFEFF${lines.join("\r\n")}\r\n`;
}
