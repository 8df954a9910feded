/**
 * CSV as RFC 4180 says (comma, CRLF, fields with a quote, comma or line break in double
 * quotes, quotes doubled), made safe for spreadsheets: a cell that starts with = + - @ (or a
 * tab or carriage return) would be run as a formula by Excel or LibreOffice, so it gets a
 * leading apostrophe (OWASP "CSV injection").
 */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: Array<string | number | null | undefined>): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
