import { BadRequestError } from '../shared/errors.ts';

export interface CsvRecord {
  /** 1-based line of the file where the record starts (the header is line 1). */
  line: number;
  fields: string[];
}

/**
 * RFC 4180 CSV: quoted fields ("" inside quotes is a quote), CRLF or LF, a UTF-8 BOM
 * tolerated. The delimiter is `,` or `;` (spreadsheets in French locales write `;`), taken
 * from the header line. Blank lines are skipped.
 */
export function parseCsv(text: string): { header: string[]; records: CsvRecord[] } {
  const source = text.replace(/^\uFEFF/, '');
  const firstLine = source.slice(0, source.search(/\r?\n|$/));
  const delimiter = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let blank = true;

  const endField = () => {
    fields.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    if (!(blank && fields.length === 1 && fields[0] === '')) records.push({ line: start, fields });
    fields = [];
    blank = true;
  };

  for (let i = 0; i < source.length; i += 1) {
    const ch = source[i]!;
    if (quoted) {
      if (ch === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else {
        if (ch === '\n') line += 1;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      blank = false;
    } else if (ch === delimiter) {
      blank = false;
      endField();
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && source[i + 1] === '\n') i += 1;
      endRecord();
      line += 1;
      start = line;
    } else {
      blank = false;
      field += ch;
    }
  }
  if (quoted) throw new BadRequestError('invalid_csv', `line ${start}: a quoted field is not closed`);
  if (field !== '' || fields.length > 0) endRecord();

  const [head, ...rest] = records;
  if (!head) throw new BadRequestError('invalid_csv', 'the file is empty');
  return { header: head.fields.map((h) => h.trim().toLowerCase()), records: rest };
}
