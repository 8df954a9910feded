import { CsvError, parse } from 'csv-parse/sync';
import { BadRequestError } from '../shared/errors.ts';

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/** What csv-parse hands back per record with `info: true`. */
interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * RFC 4180 CSV read by csv-parse: quoted fields, CRLF or LF, a UTF-8 BOM tolerated, blank lines
 * skipped. The delimiter is `,` or `;` (spreadsheets in French locales write `;`), taken from
 * the header line.
 */
export function parseCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  let parsed: ParsedRecord[];
  try {
    parsed = parse(source, { delimiter, record_delimiter: ['\r\n', '\n', '\r'], skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as ParsedRecord[];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      const what = error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is not closed' : 'the file is not valid CSV';
      throw new BadRequestError('invalid_csv', `line ${line ?? '?'}: ${what}`);
    }
    throw error;
  }
  // csv-parse counts the line a record ends on; a quoted field may span lines.
  const records = parsed.map(({ record, info }) => ({ line: info.lines - record.reduce((n, field) => n + (field.match(/\r?\n/g)?.length ?? 0), 0), fields: record }));
  const [head, ...rest] = records;
  if (!head) throw new BadRequestError('invalid_csv', 'the file is empty');
  return { header: head.fields.map((h) => h.trim().toLowerCase()), records: rest };
}
