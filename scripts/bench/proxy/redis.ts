/**
 * Redis for the 2-worker Passerelle (more than one worker shares sessions and cache
 * invalidations through Redis): REDIS_URL when given, else a throw-away redis-server on a free
 * port, no persistence. Null (with the reason) when neither is there.
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { freePort, start, type Started } from './processes.ts';

export interface BenchRedis {
  url: string;
  /** The redis-server this bench started (its RSS holds the 2-worker instance's sessions); null for a given REDIS_URL. */
  server: Started | null;
}

function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir || '.', program);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

export async function startRedis(): Promise<BenchRedis | { missing: string }> {
  const given = process.env.REDIS_URL?.trim();
  if (given) return { url: given, server: null };
  const program = onPath('redis-server');
  if (!program) return { missing: 'redis-server is not installed (Debian: apt-get install redis-server) and REDIS_URL is unset: more than one Passerelle worker needs Redis' };
  const port = await freePort();
  const server = await start(program, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    label: 'redis-server',
    ready: /Ready to accept connections/,
    timeoutMs: 15_000,
  });
  return { url: `redis://127.0.0.1:${port}`, server };
}
