/**
 * The storage and session backends a test file runs against. SQLite and the in-process
 * session store always; PostgreSQL when DATABASE_URL is set, Redis when REDIS_URL is set
 * (`.ci/run` starts both, so CI runs every suite on every backend).
 *
 *   describe.each(databaseBackends())('storage on $name', ({ url }) => { … })
 *
 * A backend that is not configured is left out (not skipped) and said so once per file.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface DatabaseBackend {
  name: 'sqlite' | 'postgres';
  /** The PostgreSQL URL; null for SQLite (open it in a temporary data directory). */
  url: string | null;
}

export interface SessionBackendCase {
  name: 'memory' | 'redis';
  /** The Redis URL; null for the in-process store. */
  url: string | null;
}

const said = new Set<string>();
function sayOnce(line: string): void {
  if (said.has(line)) return;
  said.add(line);
  console.log(line);
}

function env(name: string): string | null {
  const value = process.env[name]?.trim();
  return value ? value : null;
}

export function databaseBackends(): DatabaseBackend[] {
  const url = env('DATABASE_URL');
  if (!url) sayOnce('[backends] DATABASE_URL not set: PostgreSQL cases not run here (they run in CI; see .ci/run)');
  return url ? [{ name: 'sqlite', url: null }, { name: 'postgres', url }] : [{ name: 'sqlite', url: null }];
}

export function sessionBackends(): SessionBackendCase[] {
  const url = env('REDIS_URL');
  if (!url) sayOnce('[backends] REDIS_URL not set: Redis cases not run here (they run in CI; see .ci/run)');
  return url ? [{ name: 'memory', url: null }, { name: 'redis', url }] : [{ name: 'memory', url: null }];
}

const SCHEMA = /^t_[a-z0-9]{6,40}$/;

function withoutSearchPath(url: URL): URL {
  const copy = new URL(url);
  const options = copy.searchParams.get('options');
  if (options !== null) {
    const rest = options.replace(/-c\s*search_path=\S+/g, '').trim();
    if (rest) copy.searchParams.set('options', rest);
    else copy.searchParams.delete('options');
  }
  return copy;
}

/** The schema a URL made by `freshDatabaseUrl` points at. */
export function schemaOf(url: string): string {
  const options = new URL(url).searchParams.get('options') ?? '';
  const schema = /-c\s*search_path=(\S+)/.exec(options)?.[1];
  if (!schema || !SCHEMA.test(schema)) throw new Error(`not a test database URL (no t_… search_path): ${url}`);
  return schema;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A new empty schema `t_<random>` in the database at `base`, and a URL whose every
 * connection uses it (`options=-c search_path=t_…`), so test files and test cases running
 * at the same time never see each other's tables. Drop it with `dropSchema(url)`.
 */
export async function freshDatabaseUrl(base: string): Promise<string> {
  const schema = `t_${randomBytes(8).toString('hex')}`;
  const root = withoutSearchPath(new URL(base));
  await withClient(root.toString(), (client) => client.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(root);
  const options = url.searchParams.get('options');
  url.searchParams.set('options', `${options ? `${options} ` : ''}-c search_path=${schema}`);
  return url.toString();
}

export async function dropSchema(url: string): Promise<void> {
  const schema = schemaOf(url);
  await withClient(withoutSearchPath(new URL(url)).toString(), (client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}
