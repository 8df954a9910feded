import { BadRequestError } from '../shared/errors.ts';

/** The cell works in metropolitan French time; a bare date in a filter is a day in Paris. */
export const TIME_ZONE = 'Europe/Paris';

/** Offset of `zone` from UTC at instant `ms`, in milliseconds (e.g. +3 600 000 in winter). */
function offsetAt(ms: number, zone: string): number {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: zone, timeZoneName: 'longOffset' }).formatToParts(new Date(ms)).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 3_600_000 + Number(match[3]) * 60_000) : 0;
}

/** Midnight at the start of the day `yyyy-mm-dd` in Paris, as epoch milliseconds. */
export function parisMidnight(year: number, month: number, day: number): number {
  const guess = Date.UTC(year, month - 1, day);
  const first = guess - offsetAt(guess, TIME_ZONE);
  // Around a DST change the offset at the guess and at the result differ: take the latter.
  return guess - offsetAt(first, TIME_ZONE);
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A filter bound: a day (`2026-03-01`, Paris time; with `endOfDay` the end of that day, so
 * "to 1 March" includes 1 March) or a full ISO 8601 timestamp with its offset.
 */
export function parseBound(value: string, field: string, endOfDay: boolean): number {
  const day = DAY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const check = new Date(Date.UTC(y, m - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== m - 1 || check.getUTCDate() !== d) throw invalid(field);
    return endOfDay ? parisMidnight(y, m, d + 1) : parisMidnight(y, m, d);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) throw invalid(field);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalid(field);
  return ms;
}

function invalid(field: string): BadRequestError {
  return new BadRequestError('invalid_query', `${field}: expected a date (2026-03-01) or an ISO 8601 timestamp with its offset`, { fields: [field] });
}
