/**
 * Revocation latency across workers and replicas. Several keep-alive connections to each
 * Passerelle instance (node:cluster deals connections to the workers in turn, so every worker of
 * a 2-worker instance holds some: checked from each worker's CPU time), each looping
 * authenticated requests; the certificate is revoked once by `passerelle cert revoke` (another
 * process); per instance, the time from the CLI's exit to the last connection refused (max over
 * its connections) and to the first, and from the revocation time recorded in the store to the
 * last. Plus the figure of the earlier bench: one connection to the
 * single-process instance, opened the way a browser's would be.
 */
import https from 'node:https';
import { readFileSync } from 'node:fs';
import { tree } from './cpu.ts';
import { APP_HOST, request, revoke, revokedAt, type PasserelleTarget } from './passerelle.ts';

export interface RevocationInstance {
  name: string;
  target: PasserelleTarget;
  cookie: string;
  /** The instance's root process (the cluster primary when it has workers). */
  pid: number;
}

export interface RevocationResult {
  instance: string;
  connections: number;
  workers: number;
  /** Workers that served some of the looping connections before the revocation. */
  workersHit: number;
  /** ms from the CLI's exit to the first / last connection refused; 0 when refused before it had exited; null when some connection was never refused. */
  firstMs: number | null;
  lastMs: number | null;
  /**
   * ms from the revocation time the store records (taken just before its commit) to the last
   * connection refused: what the "< 1 s after `cert revoke` commits" means. The CLI exits
   * only after it has also published a new CRL, so refusals often come before its exit.
   */
  lastFromRecordMs: number | null;
  notRefused: number;
}

export interface Revocation {
  instances: RevocationResult[];
  /** One connection to the first instance (the earlier bench's figure), from the CLI's exit. */
  singleConnectionMs: number | null;
  /** How long `passerelle cert revoke` ran, start to exit. */
  cliMs: number;
}

const DEADLINE_MS = 10_000;
const WARM_MS = 500;

interface Loop {
  refusedAt: number | null;
  /** The same moment on the wall clock (compared with the store's revokedAt). */
  refusedWall: number | null;
  done: Promise<void>;
}

function loop(run: () => Promise<number>, stopped: () => boolean): Loop {
  const state: Loop = { refusedAt: null, refusedWall: null, done: Promise.resolve() };
  state.done = (async () => {
    while (!stopped()) {
      const status = await run().catch(() => 0);
      if (status !== 200) {
        state.refusedAt = performance.now();
        state.refusedWall = Date.now();
        return;
      }
    }
  })();
  return state;
}

/** One keep-alive connection (an agent holding one socket) looping GETs; the status of each. */
function connection(target: PasserelleTarget, cookie: string): () => Promise<number> {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: readFileSync(target.rootCa), cert: readFileSync(target.clientCert), key: readFileSync(target.clientKey), servername: APP_HOST });
  return () =>
    new Promise((resolve, reject) => {
      const req = https.request({ host: '127.0.0.1', port: target.gatewayPort, path: '/small', agent, headers: { host: APP_HOST, cookie } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
}

function childCpu(root: number): Map<number, number> {
  return new Map(tree(root).filter((s) => s.ppid === root).map((s) => [s.pid, s.cpuUs]));
}

export async function measureRevocation(instances: RevocationInstance[], connectionsPerInstance: number, revokeWith: PasserelleTarget): Promise<Revocation> {
  let stop = false;
  const stopped = () => stop;
  const cookies = (cookie: string) => new Map(cookie.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]));
  const single = instances[0] ? loop(async () => (await request(instances[0]!.target, 'GET', '/small', cookies(instances[0]!.cookie))).status, stopped) : null;
  const before = instances.map((i) => childCpu(i.pid));
  const loops = instances.map((i) => Array.from({ length: connectionsPerInstance }, () => loop(connection(i.target, i.cookie), stopped)));
  await new Promise((resolve) => setTimeout(resolve, WARM_MS));
  const hit = instances.map((i, n) => {
    const after = childCpu(i.pid);
    return [...after].filter(([pid, cpu]) => cpu > (before[n]!.get(pid) ?? cpu)).length;
  });
  const early = [...loops.flat(), ...(single ? [single] : [])].find((l) => l.refusedAt !== null);
  if (early) throw new Error('a connection was refused before the revocation: the bench session is not valid');

  const started = performance.now();
  await revoke(revokeWith);
  const exited = performance.now();
  const deadline = setTimeout(() => (stop = true), DEADLINE_MS);
  await Promise.all([...loops.flat(), ...(single ? [single] : [])].map((l) => l.done));
  clearTimeout(deadline);

  const since = (at: number | null) => (at === null ? null : Math.max(0, at - exited));
  const recorded = revokedAt(revokeWith);
  return {
    instances: instances.map((instance, n) => {
      const times = loops[n]!.map((l) => since(l.refusedAt));
      const refused = times.filter((t): t is number => t !== null);
      const notRefused = times.length - refused.length;
      return {
        instance: instance.name,
        connections: connectionsPerInstance,
        workers: instance.target.workers,
        workersHit: instance.target.workers > 1 ? hit[n]! : 1,
        firstMs: refused.length ? Math.min(...refused) : null,
        lastMs: notRefused ? null : Math.max(...refused),
        lastFromRecordMs: notRefused || recorded === null ? null : Math.max(0, ...loops[n]!.map((l) => l.refusedWall! - recorded)),
        notRefused,
      };
    }),
    singleConnectionMs: single ? since(single.refusedAt) : null,
    cliMs: exited - started,
  };
}
