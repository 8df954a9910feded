/**
 * The proxied request side by side with nginx: `npm run bench` (`npm run bench:proxy` too).
 *
 * Starts a plain upstream (1 KB JSON at /small, 64 KB at /large), Passerelle through its
 * production start-up (`passerelle serve`, compiled, its own process) with one signed-in
 * clinician, and — when Debian's nginx is installed — nginx as an mTLS reverse proxy with the
 * same server certificate, client CA and upstream, with 1 and with 2 workers. When redis-server
 * is installed (or REDIS_URL is given), a second Passerelle on the same data directory (same
 * store, PKI, user and certificate: a replica) with `workers: 2` and Redis, signed in on
 * separately. One load generator (its own process, client certificate, keep-alive) drives each
 * target in turn, interleaved, repeated; the medians are reported. CPU per request is the CPU
 * time of the target's whole process tree (/proc) during the measured part, divided by the
 * requests served. Then: RSS of each process tree idle, after the load and after many sessions
 * (per worker too); revocation latency on every connection of both instances (workers and
 * replicas); a PNG chart.
 *
 * Knobs: BENCH_SECONDS (3 per scenario), BENCH_REPEAT (3), BENCH_CONCURRENCY ("1,8,32,64"),
 * BENCH_SESSIONS (sessions opened per instance for the memory figure, 2000), BENCH_LANES
 * (parallel sign-ins, 4; at most 5), BENCH_REVOCATION_CONNECTIONS (per instance, 4), `--readme` or
 * BENCH_README=1 (rewrite README.md's bench block). Writes var/bench/proxy-<time>.json, .md and
 * .png. Figures from a shared machine: compare ratios measured in one run, never assert on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderChart } from './bench/proxy/chart.ts';
import { treeRss, type TreeRss } from './bench/proxy/cpu.ts';
import { runLoad, type LoadResult, type LoadSpec } from './bench/proxy/load.ts';
import { NGINX, startNginx } from './bench/proxy/nginx.ts';
import { APP_HOST, preparePasserelle, prepareReplica, signIn, startPasserelle, type PasserelleTarget } from './bench/proxy/passerelle.ts';
import { freePort, start, type Started } from './bench/proxy/processes.ts';
import { readmeBlock, updateReadme } from './bench/proxy/readme.ts';
import { startRedis } from './bench/proxy/redis.ts';
import { renderMarkdown, type MemoryRow, type Report, type Row } from './bench/proxy/report.ts';
import { measureRevocation, type RevocationInstance } from './bench/proxy/revocation.ts';
import { openSessions, type Opened } from './bench/proxy/sessions.ts';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

const SECONDS = intEnv('BENCH_SECONDS', 3);
const REPEAT = intEnv('BENCH_REPEAT', 3);
// 2,000 per instance: ≈ 40 ms of server CPU per sign-in (argon2id), so ≈ 80 s for both instances on a quiet 2-core machine, ≈ 3 min when it is
// shared; the issue's 10,000 take ≈ 7 min quiet (BENCH_SESSIONS=10000).
const SESSIONS = intEnv('BENCH_SESSIONS', 2000);
// Parallel sign-ins of the one bench user: more than the lockout's 5 in flight would be refused unchecked (src/regulation/login-policy.ts).
const LANES = intEnv('BENCH_LANES', 4);
if (LANES > 5) throw new Error(`BENCH_LANES must be at most 5 (got ${LANES}): the bench signs in one user, and the lockout refuses a 6th attempt in flight`);
const REVOCATION_CONNECTIONS = intEnv('BENCH_REVOCATION_CONNECTIONS', 4);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY?.trim() || '1,8,32,64').split(',').map(Number);
const README = process.argv.includes('--readme') || process.env.BENCH_README === '1';
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Target {
  name: string;
  url: string;
  /** The root of its process tree (nginx's master, Passerelle's primary). */
  pid: number;
  tls: boolean;
  cookie?: string;
  /** The Passerelle instance behind it (sessions, revocation). */
  passerelle?: PasserelleTarget;
  idle?: TreeRss;
}

interface Scenario {
  name: string;
  spec: Omit<LoadSpec, 'url'>;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function scenarios(): Scenario[] {
  const keepAlive = CONCURRENCIES.map((c) => ({ name: `GET 1 KB keep-alive c=${c}`, spec: { concurrency: c, requests: 10_000_000, seconds: SECONDS, warmup: 200 * c, keepAlive: true } }));
  return [
    ...keepAlive,
    { name: 'GET 64 KB keep-alive c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 400, keepAlive: true, path: '/large' } },
    { name: 'full TLS handshakes c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false, handshakeOnly: true } },
    { name: 'new connection + first GET c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false } },
    { name: 'resumed connection + first GET c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false, resume: true } },
  ];
}

function commit(): string {
  try {
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', 'src', 'bin'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty ? `${sha} + uncommitted changes` : sha;
  } catch {
    return 'unknown';
  }
}

/** How this run was started, knobs included, for the README. */
function commandLine(): string {
  const knobs = ['BENCH_SECONDS', 'BENCH_REPEAT', 'BENCH_CONCURRENCY', 'BENCH_SESSIONS', 'BENCH_LANES', 'BENCH_REVOCATION_CONNECTIONS'].filter((name) => process.env[name]?.trim());
  return [...knobs.map((name) => `${name}=${process.env[name]!.trim()}`), 'npm run bench -- --readme'].join(' ');
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-'));
  const running: Started[] = [];
  const notes: string[] = [];
  try {
    const upstreamPort = await freePort();
    const upstream = await start(process.execPath, [fileURLToPath(new URL('./bench/proxy/upstream.ts', import.meta.url)), String(upstreamPort)], { label: 'upstream', ready: /ready/ });
    running.push(upstream);

    const first = preparePasserelle({ dir: path.join(work, 'passerelle'), upstreamPort, publicPort: await freePort(), gatewayPort: await freePort(), adminPort: await freePort() });
    const gateway = await startPasserelle(first);
    running.push(gateway);
    const targets: Target[] = [{ name: 'upstream direct', url: `http://127.0.0.1:${upstreamPort}/small`, pid: upstream.pid, tls: false }];
    const passerelles: Target[] = [{ name: 'Passerelle', url: `https://127.0.0.1:${first.gatewayPort}/small`, pid: gateway.pid, tls: true, passerelle: first, idle: treeRss(gateway.pid) }];
    passerelles[0]!.cookie = await signIn(first);

    // The replica: same data directory (store, PKI, user, certificate), 2 workers, Redis.
    const redis = await startRedis();
    let redisServer: Started | null = null;
    let redisIdle: TreeRss | null = null;
    let replica: PasserelleTarget | null = null;
    if ('missing' in redis) {
      notes.push(`no "Passerelle (2 workers)" column: ${redis.missing}`);
      console.log(notes.at(-1));
    } else {
      redisServer = redis.server;
      if (redisServer) running.push(redisServer);
      replica = prepareReplica(first, { configDir: path.join(work, 'replica'), publicPort: await freePort(), gatewayPort: await freePort(), adminPort: await freePort(), workers: 2, env: { REDIS_URL: redis.url } });
      const workers = await startPasserelle(replica, 'passerelle ×2');
      running.push(workers);
      redisIdle = redisServer ? treeRss(redisServer.pid) : null;
      passerelles.push({ name: 'Passerelle (2 workers)', url: `https://127.0.0.1:${replica.gatewayPort}/small`, pid: workers.pid, tls: true, passerelle: replica, idle: treeRss(workers.pid), cookie: await signIn(replica) });
    }

    if (NGINX) {
      for (const workers of [1, 2]) {
        const port = await freePort();
        const nginx = await startNginx({ dir: path.join(work, `nginx-${workers}`), port, upstreamPort, workers, serverChain: first.serverChain, serverKey: first.serverKey, clientCa: first.chain });
        running.push(nginx);
        targets.push({ name: workers === 1 ? 'nginx (1 worker)' : `nginx (${workers} workers)`, url: `https://127.0.0.1:${port}/small`, pid: nginx.pid, tls: true, idle: treeRss(nginx.pid) });
      }
    } else {
      notes.push('no nginx column: nginx is not installed (Debian: apt-get install nginx)');
      console.log(notes.at(-1));
    }
    targets.push(...passerelles);
    targets[0]!.idle = treeRss(upstream.pid);

    const results = new Map<string, LoadResult[]>();
    for (let round = 1; round <= REPEAT; round += 1) {
      for (const scenario of scenarios()) {
        for (const target of targets) {
          if (!target.tls && (scenario.spec.handshakeOnly || scenario.spec.resume)) continue;
          const url = new URL(target.url);
          if (scenario.spec.path) url.pathname = scenario.spec.path;
          const spec: LoadSpec = {
            ...scenario.spec,
            url: url.toString(),
            ...(target.tls ? { host: APP_HOST, servername: APP_HOST, ca: first.rootCa, cert: first.clientCert, key: first.clientKey } : {}),
            ...(target.cookie ? { cookie: target.cookie } : {}),
          };
          const result = await runLoad(spec, [target.pid]);
          const key = `${scenario.name}\u0000${target.name}`;
          results.set(key, [...(results.get(key) ?? []), result]);
          process.stdout.write(`round ${round}/${REPEAT}  ${scenario.name.padEnd(36)} ${target.name.padEnd(22)} ${result.perSecond.toFixed(0).padStart(7)}/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  ${result.targetCpuUsPerRequest.toFixed(0)} µs CPU/req${result.failures ? `  ${result.failures} failed ${JSON.stringify(result.failureKinds)}` : ''}\n`);
        }
      }
    }

    const rows: Row[] = [];
    for (const scenario of scenarios()) {
      for (const target of targets) {
        const runs = results.get(`${scenario.name}\u0000${target.name}`);
        if (!runs) continue;
        rows.push({
          scenario: scenario.name,
          target: target.name,
          perSecond: median(runs.map((r) => r.perSecond)),
          p50Ms: median(runs.map((r) => r.p50Ms)),
          p99Ms: median(runs.map((r) => r.p99Ms)),
          cpuUsPerRequest: median(runs.map((r) => r.targetCpuUsPerRequest)),
          failures: runs.reduce((sum, r) => sum + r.failures, 0),
          resumedShare: runs[0]!.requests ? median(runs.map((r) => r.resumed / Math.max(1, r.requests))) : 0,
        });
      }
    }

    // Memory: every tree after the load, then each Passerelle instance after SESSIONS more sign-ins (one instance at a time: one SQLite file).
    const afterLoad = new Map(targets.map((t) => [t.name, treeRss(t.pid)]));
    const redisAfterLoad = redisServer ? treeRss(redisServer.pid) : null;
    const opened = new Map<string, Opened>();
    const afterSessions = new Map<string, TreeRss>();
    for (const target of passerelles) {
      console.log(`opening ${SESSIONS} sessions on ${target.name} (${LANES} lanes)…`);
      const result = await openSessions(target.passerelle!, SESSIONS, LANES, (done) => process.stdout.write(`  ${done}\n`));
      console.log(`  ${SESSIONS} sessions in ${result.seconds.toFixed(1)} s (${(SESSIONS / result.seconds).toFixed(0)}/s)`);
      opened.set(target.name, result);
      afterSessions.set(target.name, treeRss(target.pid));
    }
    const memory: MemoryRow[] = targets.map((t) => ({ tree: t.name, idle: t.idle!, afterLoad: afterLoad.get(t.name)!, afterSessions: afterSessions.get(t.name) ?? null, opened: opened.get(t.name) ?? null }));
    if (redisServer && redisIdle && redisAfterLoad) memory.push({ tree: 'redis-server (the 2-worker instance\'s sessions)', idle: redisIdle, afterLoad: redisAfterLoad, afterSessions: treeRss(redisServer.pid), opened: null });

    // Revocation last: it ends every session of the bench's user. The CLI gets the replica's environment (REDIS_URL) when there is one, as an operator's would.
    console.log(`revocation: ${REVOCATION_CONNECTIONS} keep-alive connections per instance…`);
    const instances: RevocationInstance[] = passerelles.map((t) => ({ name: t.name, target: t.passerelle!, cookie: t.cookie!, pid: t.pid }));
    const revocation = await measureRevocation(instances, REVOCATION_CONNECTIONS, replica ?? first);

    const cpus = os.cpus();
    const report: Report = {
      date: new Date().toISOString(),
      machine: `${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.type()} ${os.release()}, Node ${process.version}`,
      commit: commit(),
      settings: { seconds: SECONDS, repeat: REPEAT, concurrencies: CONCURRENCIES, sessions: SESSIONS, sessionLanes: LANES, revocationConnections: REVOCATION_CONNECTIONS },
      rows,
      memory,
      revocation,
      notes,
    };
    const out = path.join(ROOT, 'var', 'bench');
    mkdirSync(out, { recursive: true });
    const base = `proxy-${report.date.replace(/[:.]/g, '-')}`;
    writeFileSync(path.join(out, `${base}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = renderMarkdown(report);
    writeFileSync(path.join(out, `${base}.md`), markdown);
    const chartMissing = await renderChart(report, path.join(out, `${base}.png`));
    if (chartMissing) console.log(`no PNG chart: ${chartMissing}`);
    console.log(`\n${markdown}\nwritten to var/bench/${base}.{json,md${chartMissing ? '' : ',png'}}`);
    if (README) {
      updateReadme(path.join(ROOT, 'README.md'), readmeBlock(report, commandLine(), chartMissing ? null : `var/bench/${base}.png`));
      console.log('README.md: bench block rewritten');
    }
  } finally {
    for (const process of running.reverse()) await process.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
