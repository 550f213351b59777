// CSV of the results table in the locale's convention: en uses "," between fields and "." for
// decimals; pt-BR uses ";" and the decimal comma (what a spreadsheet in that locale expects).
// A metadata block comes first, each line starting with "#" (pandas: comment="#"; a spreadsheet
// import can start at the header row), then an empty line, then the table.
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
export function tableToCsv(table: TableModel, locale: Locale, metadata: readonly [string, string][] = []): string {
  const separator = csvSeparator(locale);
  const line = (fields: string[]): string => fields.map((f) => quote(f, separator)).join(separator);
  const head = metadata.map(([label, value]) => line([`# ${label}`, value]));
  const body = [table.headers, ...table.rows.map((row) => row.map((cell) => cell.text))].map(line);
  return `\uFEFF${[...head, ...(head.length ? [""] : []), ...body].join("\r\n")}\r\n`;
}
