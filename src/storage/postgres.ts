import pg from 'pg';
import { numberPlaceholders, type Db, type Param } from './db.ts';
import { loadMigrations } from './migrations.ts';

type Queryable = pg.Pool | pg.PoolClient;

// BIGINT (epoch ms, counters) as numbers: every value we store fits in 2^53.
const parseBigint = (value: string): number => Number(value);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? parseBigint : (pg.types.getTypeParser(oid, format ?? 'text') as unknown)) as typeof pg.types.getTypeParser,
};

async function query<T>(client: Queryable, sql: string, params: Param[]): Promise<Omit<pg.QueryResult, 'rows'> & { rows: T[] }> {
  const result: pg.QueryResult = await client.query({ text: numberPlaceholders(sql), values: params, types });
  return result as Omit<pg.QueryResult, 'rows'> & { rows: T[] };
}

class PgSession implements Db {
  readonly dialect = 'postgres' as const;
  constructor(protected readonly client: Queryable) {}
  async all<T>(sql: string, params: Param[] = []): Promise<T[]> {
    return (await query<T>(this.client, sql, params)).rows;
  }
  async get<T>(sql: string, params: Param[] = []): Promise<T | undefined> {
    return (await query<T>(this.client, sql, params)).rows[0];
  }
  async run(sql: string, params: Param[] = []): Promise<{ changes: number }> {
    return { changes: (await query(this.client, sql, params)).rowCount ?? 0 };
  }
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    return fn(this);
  }
  migrate(): Promise<string[]> {
    return Promise.reject(new Error('migrate inside a transaction'));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class PostgresDb extends PgSession {
  readonly #pool: pg.Pool;

  constructor(url: string) {
    const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000 });
    // An idle client dropped by the server must not crash the process.
    pool.on('error', () => undefined);
    super(pool);
    this.#pool = pool;
  }

  override async transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgSession(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  override async migrate(): Promise<string[]> {
    const done: string[] = [];
    await this.transaction(async (tx) => {
      // One migrator at a time across replicas.
      await tx.run('SELECT pg_advisory_xact_lock(724519)');
      await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const applied = new Set((await tx.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)));
      for (const migration of loadMigrations('postgres')) {
        if (applied.has(migration.version)) continue;
        await tx.run(migration.sql);
        await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()]);
        done.push(`${migration.version}_${migration.name}`);
      }
    });
    return done;
  }

  override close(): Promise<void> {
    return this.#pool.end();
  }
}
