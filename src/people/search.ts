/**
 * The people list: search and status filter, in pages that cost the same at page 1 and page
 * 2,000 (keyset pagination on (search_name, id), never OFFSET).
 *
 * Search semantics — the query, accents, case, hyphens and apostrophes aside, is a PREFIX of:
 *   - "family given" or "given family" ("lefe", "lefevre hel", "helene lef", "jean pierre");
 *   - the identifier or the e-mail address ("helene.lefevre-2", "h.lefevre@chu");
 *   - the RPPS / ADELI number, when the query is digits (spaces ignored);
 *   - or of a WORD of the establishment's name ("dijon" finds everyone at "CHU de Dijon").
 * Every test is a range on an indexed key, so a search answers in milliseconds with 100,000
 * accounts on SQLite and PostgreSQL alike. Not found: words in the middle of a name
 * ("lefevre" does not find "Martin-Lefèvre" — "martin" does).
 */
import { BadRequestError } from '../shared/errors.ts';
import type { Storage } from '../storage/index.ts';
import { querySearchKey, searchKey } from './fold.ts';
import type { ListFilter, PersonListRow, SortKey, TextMatch } from '../model/people.ts';
import { isPersonStatus, personStatus, type PersonStatus } from './status.ts';
import { iso } from '../shared/time.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;
/** Matches are counted up to this many ("more than 10,000" beyond). */
export const COUNT_CAP = 10_000;
const MAX_QUERY = 200;

export interface PeopleQuery {
  q?: string | undefined;
  status?: string | undefined;
  /** Cursor of the last row of the previous page. */
  after?: string | undefined;
  /** Cursor of the first row of the next page (going back). */
  before?: string | undefined;
  limit?: number | undefined;
}

export interface PersonSummary {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  rpps: string | null;
  profession: string | null;
  role: PersonListRow['role'];
  status: PersonStatus;
  establishment: { id: string; name: string } | null;
  lastLoginAt: string | null;
}

export interface PeoplePage {
  people: PersonSummary[];
  /** How many people match, up to COUNT_CAP. */
  total: number;
  /** False when there are more than `total` (the count stopped at COUNT_CAP). */
  totalExact: boolean;
  /** Cursor for `after` when there is a next page. */
  next: string | null;
  /** Cursor for `before` when there is a previous page. */
  previous: string | null;
}

export function encodeCursor(key: SortKey): string {
  return Buffer.from(JSON.stringify([key.name, key.id]), 'utf8').toString('base64url');
}

export function decodeCursor(value: string): SortKey {
  let parsed: unknown = null;
  if (/^[A-Za-z0-9_-]{1,1200}$/.test(value)) {
    try {
      parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    } catch {
      parsed = null;
    }
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || parsed[1].length > 100) {
    throw new BadRequestError('invalid_cursor', 'the page cursor is not valid: start again from the first page');
  }
  return { name: parsed[0], id: parsed[1] };
}

/** How the typed query is tried against each key. Null: no text filter. */
export function textMatch(q: string | undefined, establishments: Array<{ id: string; name: string }>): TextMatch | null {
  const raw = (q ?? '').replace(/\s+/g, ' ').trim();
  if (!raw) return null;
  if (raw.length > MAX_QUERY) throw new BadRequestError('query_too_long', `the search is longer than ${MAX_QUERY} characters`);
  const name = querySearchKey(raw);
  // Only punctuation ("-", "'"): nothing to look for.
  if (!name) return null;
  const compact = raw.replace(/[\s.]/g, '');
  const digits = /^\d+$/.test(compact) ? compact : null;
  const establishmentIds = establishments.filter((e) => ` ${searchKey(e.name).replace(/\s+/g, ' ')}`.includes(` ${name}`)).map((e) => e.id);
  return { name, literal: raw.toLowerCase(), digits, establishmentIds };
}

export function parseStatus(value: string | undefined): PersonStatus | null {
  if (value === undefined || value === '') return null;
  if (!isPersonStatus(value)) throw new BadRequestError('invalid_status', `unknown status ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

function summary(row: PersonListRow, now: number): PersonSummary {
  return {
    id: row.id,
    identifier: row.identifier,
    givenName: row.givenName,
    familyName: row.familyName,
    email: row.email,
    rpps: row.rpps,
    profession: row.profession,
    role: row.role,
    status: personStatus(row, now),
    establishment: row.establishmentId && row.establishmentName !== null ? { id: row.establishmentId, name: row.establishmentName } : null,
    lastLoginAt: iso(row.lastLoginAt),
  };
}

/** One page of people matching the query and status, with the total and the cursors around it. */
export async function searchPeople(deps: { storage: Storage; clock: { now(): Date } }, query: PeopleQuery): Promise<PeoplePage> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new BadRequestError('invalid_limit', `limit must be 1 to ${MAX_PAGE_SIZE}`);
  if (query.after && query.before) throw new BadRequestError('invalid_cursor', 'give after or before, not both');
  const after = query.after ? decodeCursor(query.after) : null;
  const before = query.before ? decodeCursor(query.before) : null;
  const repository = deps.storage.people;
  const q = query.q?.trim() ? query.q : undefined;
  const filter: ListFilter = {
    status: parseStatus(query.status),
    text: q ? textMatch(q, await repository.establishmentNames()) : null,
    now: deps.clock.now().getTime(),
  };
  const [rows, total] = await Promise.all([repository.list(filter, { after, before, limit: limit + 1 }), repository.count(filter, COUNT_CAP + 1)]);
  // limit + 1 rows: the extra one (at the far end of the direction read) says more exist that way.
  const more = rows.length > limit;
  const shown = before ? rows.slice(rows.length - Math.min(rows.length, limit)) : rows.slice(0, limit);
  const first = shown[0];
  const last = shown[shown.length - 1];
  const key = (row: PersonListRow): SortKey => ({ name: row.searchName, id: row.id });
  return {
    people: shown.map((row) => summary(row, filter.now)),
    total: Math.min(total, COUNT_CAP),
    totalExact: total <= COUNT_CAP,
    next: last && (before ? true : more) ? encodeCursor(key(last)) : null,
    previous: first && (before ? more : Boolean(after)) ? encodeCursor(key(first)) : null,
  };
}
