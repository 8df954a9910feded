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
const UPDATE_SET = /^\s*UPDATE\s+"?([a-z_]+)"?\s+SET\s+([\s\S]*?)\s+WHERE\s/i;

/**
 * Columns whose change decides nothing about access: the lockout counter and the login
 * bookkeeping. Every sign-in attempt writes them; taking them for access changes would make
 * every process forget everything at every login. (The lock itself sets `status`: that counts.)
 */
const BOOKKEEPING: Readonly<Record<string, ReadonlySet<string>>> = {
  users: new Set(['failed_logins', 'updated_at', 'last_login_at', 'last_login_ip', 'previous_login_at', 'previous_login_ip']),
};

/** The table a write statement targets, or null for a read. */
export function writtenTable(sql: string): string | null {
  const match = WRITE.exec(sql);
  return match ? match[1]!.toLowerCase() : null;
}

/** The access table a statement changes, or null: reads, other tables, and bookkeeping-only updates. */
export function accessTableChanged(sql: string): string | null {
  const table = writtenTable(sql);
  if (!table || !ACCESS_TABLES.has(table)) return null;
  const ignored = BOOKKEEPING[table];
  const update = ignored ? UPDATE_SET.exec(sql) : null;
  if (ignored && update) {
    const columns = update[2]!.split(',').map((assignment) => assignment.split('=')[0]!.trim().replace(/"/g, '').toLowerCase());
    if (columns.every((column) => ignored.has(column))) return null;
  }
  return table;
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
    const table = accessTableChanged(sql);
    const value = await result;
    if (table) {
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
    const table = accessTableChanged(sql);
    const result = await this.inner.run(sql, params);
    // A statement that changed nothing (a compare-and-swap that lost) invalidates nothing.
    if (table && result.changes > 0) {
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
