import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Db, Param } from './db.ts';
import { loadMigrations } from './migrations.ts';

/**
 * node:sqlite is synchronous; transactions that await are serialised by a queue so
 * statements of two transactions never interleave on the one connection.
 */
export class SqliteDb implements Db {
  readonly dialect = 'sqlite' as const;
  readonly #db: DatabaseSync;
  #queue: Promise<unknown> = Promise.resolve();
  #inTransaction = false;
  readonly #owner = new AsyncLocalStorage<true>();

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new DatabaseSync(file);
    this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;');
  }

  async #wait(): Promise<void> {
    // Code running inside the transaction's own body goes straight through; everyone else
    // waits until no transaction is running or queued.
    if (this.#owner.getStore()) return;
    let queue: Promise<unknown>;
    do {
      queue = this.#queue;
      await queue;
    } while (queue !== this.#queue || this.#inTransaction);
  }

  async all<T>(sql: string, params: Param[] = []): Promise<T[]> {
    await this.#wait();
    return this.#db.prepare(sql).all(...(params as SQLInputValue[])) as T[];
  }

  async get<T>(sql: string, params: Param[] = []): Promise<T | undefined> {
    await this.#wait();
    return this.#db.prepare(sql).get(...(params as SQLInputValue[])) as T | undefined;
  }

  async run(sql: string, params: Param[] = []): Promise<{ changes: number }> {
    await this.#wait();
    const result = this.#db.prepare(sql).run(...(params as SQLInputValue[]));
    return { changes: Number(result.changes) };
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const tx = new SqliteTransaction(this.#db);
    const run = this.#queue.then(async () => {
      this.#inTransaction = true;
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        const result = await this.#owner.run(true, () => fn(tx));
        this.#db.exec('COMMIT');
        return result;
      } catch (error) {
        this.#db.exec('ROLLBACK');
        throw error;
      } finally {
        this.#inTransaction = false;
      }
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async migrate(): Promise<string[]> {
    this.#db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const applied = new Set((await this.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
    const done: string[] = [];
    for (const migration of loadMigrations('sqlite')) {
      if (applied.has(migration.version)) continue;
      // Checked again under the write lock (BEGIN IMMEDIATE): another process may have just applied it.
      const ran = await this.transaction(async (tx) => {
        if (await tx.get('SELECT 1 AS done FROM schema_migrations WHERE version = ?', [migration.version])) return false;
        this.#db.exec(migration.sql);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
        return true;
      });
      if (ran) done.push(`${migration.version}_${migration.name}`);
    }
    return done;
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}

/** The view of the connection handed to a transaction's body: no waiting on itself. */
class SqliteTransaction implements Db {
  readonly dialect = 'sqlite' as const;
  constructor(readonly db: DatabaseSync) {}
  all<T>(sql: string, params: Param[] = []): Promise<T[]> {
    return Promise.resolve(this.db.prepare(sql).all(...(params as SQLInputValue[])) as T[]);
  }
  get<T>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return Promise.resolve(this.db.prepare(sql).get(...(params as SQLInputValue[])) as T | undefined);
  }
  run(sql: string, params: Param[] = []): Promise<{ changes: number }> {
    return Promise.resolve({ changes: Number(this.db.prepare(sql).run(...(params as SQLInputValue[])).changes) });
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this); // already inside one
  }
  migrate(): Promise<string[]> {
    return Promise.reject(new Error('migrate inside a transaction'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
