import type { Param } from '../db.ts';

/** `WHERE a = ? AND b >= ?` from the conditions whose value is given; '' when none is. */
export function where(conditions: Array<[clause: string, value: Param | undefined]>): { sql: string; params: Param[] } {
  const used = conditions.filter(([, value]) => value !== undefined && value !== '');
  return { sql: used.length ? `WHERE ${used.map(([clause]) => clause).join(' AND ')}` : '', params: used.map(([, value]) => value as Param) };
}
