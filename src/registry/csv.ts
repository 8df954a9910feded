/**
 * CSV as RFC 4180 says (CRLF, fields with a quote, separator or line break in double quotes,
 * quotes doubled) but with `;` between fields, as French Excel expects (a comma is its decimal
 * separator: a comma-separated file opens in one column). Made safe for spreadsheets: a cell that starts with = + - @ (or a
 * tab or carriage return) would be run as a formula by Excel or LibreOffice, so it gets a
 * leading apostrophe (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",;\r\n]/;
export const CSV_SEPARATOR = ';';

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(CSV_SEPARATOR)}\r\n`;
}
