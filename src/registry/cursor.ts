import type { Cursor } from '../model/registry.ts';
import { BadRequestError } from '../shared/errors.ts';

/**
 * Keyset ("seek") pagination cursors: the sort key of the last row shown, opaque to clients
 * (base64url of `number|text`). A page asks for rows strictly after it, so inserts between
 * two pages never shift or repeat rows, and the cost does not grow with the page number.
 */
export type { Cursor };

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(`${cursor.n}|${cursor.s}`, 'utf8').toString('base64url');
}

export function decodeCursor(value: string | undefined | null): Cursor | null {
  if (value == null || value === '') return null;
  const text = /^[A-Za-z0-9_-]{1,400}$/.test(value) ? Buffer.from(value, 'base64url').toString('utf8') : '';
  const match = /^(-?\d{1,16})\|(.{0,200})$/s.exec(text);
  if (!match) throw new BadRequestError('invalid_cursor', 'the page cursor is not valid: start again from the first page');
  return { n: Number(match[1]), s: match[2]! };
}

/** A page of rows and, when there are more, the cursor of the next page. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** `rows` were fetched with `limit + 1`: the extra row only says that a next page exists. */
export function pageOf<R, T>(rows: R[], limit: number, key: (row: R) => Cursor, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), next: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
