/** snake_case row → camelCase record; numbers from either driver come back as numbers. */
export function camel<T>(row: Record<string, unknown> | undefined): T | undefined {
  if (!row) return undefined;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase())] = typeof value === 'bigint' ? Number(value) : value;
  }
  return out as T;
}

export function camelAll<T>(rows: Array<Record<string, unknown>>): T[] {
  return rows.map((row) => camel<T>(row)!);
}
