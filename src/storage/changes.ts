import type { Db, Param } from './db.ts';

/**
 * The tables behind "who may reach which application, with which identity": a committed write
 * to any of them makes the gateway forget what it cached (src/http/gateway/hot-state.ts).
 * A new table that decides access belongs here.
 */
export const ACCESS_TABLES: ReadonlySet<string> = new Set([
  'users',
  'certificates',
  'grants',
  'establishments',
  'legacy_mappings',
  'services',
  'service_members',
  'service_grants',
  'establishment_admins',
  'establishment_applications',
]);

const WRITE = /^\s*(?:WITH\b[\s\S]*?\)\s*)?(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([a-z_]+)"?/i;

/** The table a write statement targets, or null for a read. */
export function writtenTable(sql: string): string | null {
  const match = WRITE.exec(sql);
  return match ? match[1]!.toLowerCase() : null;
}

export type ChangeListener = (tables: string[]) => void;

/**
 * A Db that notices writes to the access tables. Outside a transaction it reports after the
 * statement; inside one it collects and reports after the commit (never after a rollback), so
 * a listener that re-reads sees the new rows. It also bumps `change_seq` (after the commit,
 * outside the transaction, so the single counter row is never held by a long transaction) —
 * that is how other processes learn of it.
 */
export class ChangeTrackingDb implements Db {
  readonly dialect: Db['dialect'];

  constructor(
    private readonly inner: Db,
    private readonly report: (tables: Set<string>) => Promise<void>,
    private readonly pending: Set<string> | null = null,
  ) {
    this.dialect = inner.dialect;
  }

  private async noted<T>(sql: string, result: Promise<T>): Promise<T> {
    const table = writtenTable(sql);
    const value = await result;
    if (table && ACCESS_TABLES.has(table)) {
      if (this.pending) this.pending.add(table);
      else await this.report(new Set([table]));
    }
    return value;
  }

  all<T>(sql: string, params?: Param[]): Promise<T[]> {
    return this.noted(sql, this.inner.all<T>(sql, params));
  }

  get<T>(sql: string, params?: Param[]): Promise<T | undefined> {
    return this.noted(sql, this.inner.get<T>(sql, params));
  }

  async run(sql: string, params?: Param[]): Promise<{ changes: number }> {
    const table = writtenTable(sql);
    const result = await this.inner.run(sql, params);
    // A statement that changed nothing (a compare-and-swap that lost) invalidates nothing.
    if (table && ACCESS_TABLES.has(table) && result.changes > 0) {
      if (this.pending) this.pending.add(table);
      else await this.report(new Set([table]));
    }
    return result;
  }

  async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.pending) return this.inner.transaction((tx) => fn(new ChangeTrackingDb(tx, this.report, this.pending)));
    const changed = new Set<string>();
    const value = await this.inner.transaction((tx) => fn(new ChangeTrackingDb(tx, this.report, changed)));
    if (changed.size > 0) await this.report(changed);
    return value;
  }

  migrate(): Promise<string[]> {
    return this.inner.migrate();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
