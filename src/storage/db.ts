/**
 * One query layer over both dialects. SQL is written once with `?` placeholders;
 * the PostgreSQL adapter numbers them. Times are epoch milliseconds (BIGINT), booleans 0/1,
 * so repositories never branch on the dialect.
 */
export type Param = string | number | bigint | null | Uint8Array;

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all<T>(sql: string, params?: Param[]): Promise<T[]>;
  get<T>(sql: string, params?: Param[]): Promise<T | undefined>;
  run(sql: string, params?: Param[]): Promise<{ changes: number }>;
  /** Runs `fn` in one transaction; rolls back if it throws. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /** Applies any numbered migration not yet applied. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

/** `?` → `$1, $2…` outside quoted strings. */
export function numberPlaceholders(sql: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of sql) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${(n += 1)}` : ch;
  }
  return out;
}
