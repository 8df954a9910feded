/**
 * In-process gateway overhead benchmark: `npm run bench:inprocess` (tsx scripts/bench.ts; `npm run bench` is the proxy bench, scripts/bench-proxy.ts).
 *
 * Starts a whole Passerelle in this process with the test harness (real TLS listeners,
 * SQLite + in-process sessions, the demo app as upstream) and measures, with keep-alive
 * connections driven from a worker thread:
 *   1. the upstream alone: GET /healthz (and GET /api/whoami with a replayed assertion);
 *   2. the same application through the gateway: GET /api/whoami signed in, over mutual TLS;
 *   3. the login POST (argon2id verify) and argon2id alone;
 *   4. memory of the process after warm-up and after the runs.
 * With DATABASE_URL and/or REDIS_URL set, the whole set is run again on those backends.
 *
 * Figures from a shared, noisy machine: for comparison between runs on the same host, not
 * for assertions. Knobs: BENCH_REQUESTS (2000), BENCH_WARMUP (300), BENCH_LOGIN_SAMPLES (20),
 * BENCH_CONCURRENCY ("1,16"). Writes var/bench/gateway-<timestamp>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { APP_HOST, signIn, startTestGateway, type TestGateway } from '../test/helpers/gateway.ts';
import { LoadClient } from './bench/load-client.ts';
import { measureLogins } from './bench/login.ts';
import type { Target } from './bench/protocol.ts';
import { rounded, summarize, type LatencySummary } from './bench/stats.ts';
import { mib, ms, signed, table } from './bench/table.ts';

// ---------------------------------------------------------------- settings

function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer ≥ ${min} (got ${raw})`);
  return value;
}

const REQUESTS = intEnv('BENCH_REQUESTS', 2000, 1);
const WARMUP = intEnv('BENCH_WARMUP', 300, 0);
const LOGIN_SAMPLES = intEnv('BENCH_LOGIN_SAMPLES', 20, 1);
const LOGIN_WARMUP = 2;
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY?.trim() || '1,16').split(',').map((part) => {
  const value = Number(part.trim());
  if (!Number.isInteger(value) || value < 1 || value > 256) throw new Error(`BENCH_CONCURRENCY: bad value ${part}`);
  return value;
});

const NOTES = [
  'The load generator runs in a worker thread of the same process; the gateway, the demo upstream and SQLite share the main thread. Two-core shared machine: treat figures as indicative, compare runs on the same host only.',
  'The demo upstream verifies the ES256 X-Passerelle-Assertion on every /api/* request (JWKS cached), so "gateway /api/whoami" includes that verification; "upstream /healthz" does not. "upstream /api/whoami" replays one assertion straight to the upstream (clock frozen by the harness) to separate that cost from the gateway\'s own.',
  'Gateway path per request: TLS record layer (keep-alive, no handshakes timed), client-certificate lookup, session load + certificate binding, account/grant decision, identity headers + ES256 assertion signing, proxy over a keep-alive upstream agent.',
  'One user, one certificate and one session shared by all connections of a scenario. The harness clock is frozen, so the once-a-minute session lastSeenAt refresh never fires here.',
  'server CPU = CPU time of the main thread (gateway + upstream) per request (process.threadCpuUsage); work done on libuv/WebCrypto threads is not in it.',
  'Memory: process.memoryUsage() of the whole process; rss includes the load-generator worker; heap figures are the main isolate only. "after GC" = after two forced full GCs.',
];

v8.setFlagsFromString('--expose-gc');
const forceGc = runInNewContext('gc') as () => void;

// ---------------------------------------------------------------- types

type ScenarioId = 'upstream-healthz' | 'upstream-whoami' | 'gateway-whoami';

const SCENARIO_LABELS: Record<ScenarioId, string> = {
  'upstream-healthz': 'upstream GET /healthz (baseline)',
  'upstream-whoami': 'upstream GET /api/whoami (+ES256 verify)',
  'gateway-whoami': 'gateway GET /api/whoami (mTLS, signed in)',
};

interface ScenarioResult {
  id: ScenarioId;
  label: string;
  concurrency: number;
  requests: number;
  wallMs: number;
  requestsPerSecond: number;
  latency: LatencySummary;
  /** Connections opened by the pool, warm-up included: equals concurrency when keep-alive holds. */
  connections: number;
  serverCpuUsPerRequest: number;
}

interface Overhead {
  concurrency: number;
  versus: ScenarioId;
  addedMeanMs: number;
  addedP50Ms: number;
  addedP95Ms: number;
  addedP99Ms: number;
  addedServerCpuUsPerRequest: number;
  throughputRatio: number;
}

interface MemoryPoint {
  point: string;
  raw: NodeJS.MemoryUsage;
  afterGc: NodeJS.MemoryUsage;
}

interface Variant {
  name: string;
  database: 'sqlite' | 'postgres';
  sessions: 'memory' | 'redis';
  databaseUrl: string | null;
  redisUrl: string | null;
}

interface VariantResult {
  name: string;
  database: Variant['database'];
  sessions: Variant['sessions'];
  scenarios: ScenarioResult[];
  overhead: Overhead[];
  login: { samples: number; loginPost: LatencySummary; argon2idVerify: LatencySummary };
  memory: MemoryPoint[];
  durationS: number;
}

// ---------------------------------------------------------------- measuring

function memoryPoint(point: string): MemoryPoint {
  const raw = process.memoryUsage();
  forceGc();
  forceGc();
  return { point, raw, afterGc: process.memoryUsage() };
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

async function prepareTargets(gw: TestGateway): Promise<(concurrency: number) => Record<ScenarioId, Target>> {
  const upstreamPort = gw.upstream?.port;
  if (!upstreamPort) throw new Error('the harness started no upstream');
  const user = await gw.user();
  const cert = await gw.personalCertificate(user);
  const { cookies, response } = await signIn(gw, cert);
  if (response.status !== 303) throw new Error(`sign-in: HTTP ${response.status}`);
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');

  // One request through the gateway: checks the path works and yields an assertion to replay upstream.
  const probe = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
  if (probe.status !== 200) throw new Error(`gateway /api/whoami probe: HTTP ${probe.status} ${probe.body.slice(0, 200)}`);
  const echoed = JSON.parse(probe.body) as { verified?: boolean; headers?: Record<string, string> };
  const assertionHeader = gw.config.applications[0]!.headers.assertion.toLowerCase();
  const assertion = echoed.headers?.[assertionHeader];
  if (echoed.verified !== true || !assertion) throw new Error('gateway /api/whoami probe: upstream did not verify an assertion');

  const tls = { certPem: cert.certPem, keyPem: cert.keyPem, caPem: gw.runtime.pki.chainPem, servername: APP_HOST };
  return (concurrency) => ({
    'upstream-healthz': { protocol: 'http', port: upstreamPort, path: '/healthz', method: 'GET', headers: { accept: 'application/json' }, tls: null, concurrency, expectStatus: 200 },
    'upstream-whoami': { protocol: 'http', port: upstreamPort, path: '/api/whoami', method: 'GET', headers: { accept: 'application/json', [assertionHeader]: assertion }, tls: null, concurrency, expectStatus: 200 },
    'gateway-whoami': { protocol: 'https', port: gw.listeners.gatewayPort, path: '/api/whoami', method: 'GET', headers: { host: APP_HOST, accept: 'application/json', cookie }, tls, concurrency, expectStatus: 200 },
  });
}

const ORDER: ScenarioId[] = ['upstream-healthz', 'upstream-whoami', 'gateway-whoami'];

async function runVariant(client: LoadClient, variant: Variant): Promise<VariantResult> {
  const started = performance.now();
  log(`${variant.name}: starting the gateway`);
  const gw = await startTestGateway({ databaseUrl: variant.databaseUrl, redisUrl: variant.redisUrl });
  try {
    const memory: MemoryPoint[] = [memoryPoint('started')];
    const targetsFor = await prepareTargets(gw);

    // Warm-up: every scenario at every concurrency, so JIT, caches and pools are hot before any timing.
    log(`${variant.name}: warm-up (${WARMUP} requests × ${ORDER.length} scenarios × ${CONCURRENCIES.length} concurrencies)`);
    for (const concurrency of CONCURRENCIES) {
      for (const id of ORDER) {
        const pool = await client.open(targetsFor(concurrency)[id]);
        if (WARMUP > 0) await pool.run(WARMUP);
        await pool.close();
      }
    }
    memory.push(memoryPoint('after warm-up'));

    // Measured runs, interleaved per concurrency so baseline and gateway see the same machine weather.
    const scenarios: ScenarioResult[] = [];
    for (const concurrency of CONCURRENCIES) {
      for (const id of ORDER) {
        const pool = await client.open(targetsFor(concurrency)[id]);
        try {
          await pool.run(concurrency * 4); // opens the connections (TLS handshakes) outside the timing
          const cpuBefore = process.threadCpuUsage();
          const result = await pool.run(REQUESTS);
          const cpu = process.threadCpuUsage(cpuBefore);
          const latency = summarize(result.latencies);
          scenarios.push({
            id,
            label: SCENARIO_LABELS[id],
            concurrency,
            requests: REQUESTS,
            wallMs: result.wallMs,
            requestsPerSecond: (REQUESTS * 1000) / result.wallMs,
            latency,
            connections: result.connections,
            serverCpuUsPerRequest: (cpu.user + cpu.system) / REQUESTS,
          });
          log(`${variant.name}: ${id} c=${concurrency}: ${((REQUESTS * 1000) / result.wallMs).toFixed(0)} req/s, p50 ${ms(latency.p50Ms)} ms`);
        } finally {
          await pool.close();
        }
      }
    }
    memory.push(memoryPoint('after throughput runs'));

    log(`${variant.name}: login (${LOGIN_SAMPLES} samples)`);
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const login = await measureLogins(gw, user, cert, LOGIN_SAMPLES, LOGIN_WARMUP);
    memory.push(memoryPoint('after login runs'));

    const overhead: Overhead[] = [];
    for (const concurrency of CONCURRENCIES) {
      const find = (id: ScenarioId) => scenarios.find((s) => s.id === id && s.concurrency === concurrency)!;
      const gateway = find('gateway-whoami');
      for (const versus of ['upstream-healthz', 'upstream-whoami'] as const) {
        const base = find(versus);
        overhead.push({
          concurrency,
          versus,
          addedMeanMs: gateway.latency.meanMs - base.latency.meanMs,
          addedP50Ms: gateway.latency.p50Ms - base.latency.p50Ms,
          addedP95Ms: gateway.latency.p95Ms - base.latency.p95Ms,
          addedP99Ms: gateway.latency.p99Ms - base.latency.p99Ms,
          addedServerCpuUsPerRequest: gateway.serverCpuUsPerRequest - base.serverCpuUsPerRequest,
          throughputRatio: gateway.requestsPerSecond / base.requestsPerSecond,
        });
      }
    }

    return {
      name: variant.name,
      database: variant.database,
      sessions: variant.sessions,
      scenarios,
      overhead,
      login: { samples: LOGIN_SAMPLES, loginPost: summarize(login.loginPostMs), argon2idVerify: summarize(login.argon2VerifyMs) },
      memory,
      durationS: (performance.now() - started) / 1000,
    };
  } finally {
    await gw.close();
  }
}

// ---------------------------------------------------------------- reporting

function printVariant(result: VariantResult): void {
  const out: string[] = [];
  out.push('', `=== ${result.name}  (database: ${result.database}, sessions: ${result.sessions})`, '');
  out.push(`Throughput and latency — ${REQUESTS} requests per row after warm-up, keep-alive; latencies in ms`);
  out.push(
    table(
      ['scenario', 'conc', 'req/s', 'mean', 'p50', 'p95', 'p99', 'max', 'conns', 'srv CPU µs/req'],
      result.scenarios.map((s) => [s.label, s.concurrency, s.requestsPerSecond.toFixed(0), ms(s.latency.meanMs), ms(s.latency.p50Ms), ms(s.latency.p95Ms), ms(s.latency.p99Ms), ms(s.latency.maxMs), s.connections, s.serverCpuUsPerRequest.toFixed(0)]),
    ),
  );
  out.push('', 'Gateway overhead per request — gateway /api/whoami minus the direct request (ms)');
  out.push(
    table(
      ['versus', 'conc', 'Δmean', 'Δp50', 'Δp95', 'Δp99', 'Δsrv CPU µs/req', 'req/s ratio'],
      result.overhead.map((o) => [
        o.versus === 'upstream-healthz' ? 'upstream /healthz (no assertion)' : 'upstream /api/whoami (same ES256 verify)',
        o.concurrency,
        signed(o.addedMeanMs),
        signed(o.addedP50Ms),
        signed(o.addedP95Ms),
        signed(o.addedP99Ms),
        signed(o.addedServerCpuUsPerRequest, 0),
        `×${o.throughputRatio.toFixed(2)}`,
      ]),
    ),
  );
  out.push('', `Login — ${result.login.samples} samples after ${LOGIN_WARMUP} warm-up, sequential (ms)`);
  out.push(
    table(
      ['measure', 'min', 'mean', 'p50', 'p95', 'max'],
      [
        ['argon2id verify alone (19 MiB, t=2, p=1)', ...[result.login.argon2idVerify].flatMap((l) => [ms(l.minMs), ms(l.meanMs), ms(l.p50Ms), ms(l.p95Ms), ms(l.maxMs)])],
        ['POST /.passerelle/login → 303 (keep-alive)', ...[result.login.loginPost].flatMap((l) => [ms(l.minMs), ms(l.meanMs), ms(l.p50Ms), ms(l.p95Ms), ms(l.maxMs)])],
      ],
    ),
  );
  out.push('', 'Memory — MiB (rss: whole process incl. load worker; heap: main isolate)');
  out.push(
    table(
      ['point', 'rss', 'heapTotal', 'heapUsed', 'external', 'rss after GC', 'heapUsed after GC'],
      result.memory.map((m) => [m.point, mib(m.raw.rss), mib(m.raw.heapTotal), mib(m.raw.heapUsed), mib(m.raw.external), mib(m.afterGc.rss), mib(m.afterGc.heapUsed)]),
    ),
  );
  out.push('', `(${result.name}: ${result.durationS.toFixed(1)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

function gitCommit(): string | null {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function variants(): Variant[] {
  const databaseUrl = process.env.DATABASE_URL?.trim() || null;
  const redisUrl = process.env.REDIS_URL?.trim() || null;
  const list: Variant[] = [{ name: 'sqlite+memory', database: 'sqlite', sessions: 'memory', databaseUrl: null, redisUrl: null }];
  if (databaseUrl || redisUrl) {
    const database = databaseUrl ? 'postgres' : 'sqlite';
    const sessions = redisUrl ? 'redis' : 'memory';
    list.push({ name: `${database}+${sessions}`, database, sessions, databaseUrl, redisUrl });
  } else {
    log('DATABASE_URL / REDIS_URL not set: PostgreSQL / Redis variants not run');
  }
  return list;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const started = performance.now();
  const loadavgStart = os.loadavg();
  log(`${REQUESTS} requests per scenario, ${WARMUP} warm-up, concurrency ${CONCURRENCIES.join('/')}, ${LOGIN_SAMPLES} login samples; load average ${loadavgStart.map((l) => l.toFixed(2)).join(' ')}`);

  const client = new LoadClient();
  const results: VariantResult[] = [];
  try {
    for (const variant of variants()) {
      const result = await runVariant(client, variant);
      results.push(result);
      printVariant(result);
    }
  } finally {
    await client.close();
  }

  const loadavgEnd = os.loadavg();
  const report = {
    benchmark: 'passerelle-gateway-overhead',
    startedAt: startedAt.toISOString(),
    durationS: (performance.now() - started) / 1000,
    commit: gitCommit(),
    settings: { requestsPerScenario: REQUESTS, warmupPerScenario: WARMUP, concurrencies: CONCURRENCIES, loginSamples: LOGIN_SAMPLES, loginWarmup: LOGIN_WARMUP, client: 'worker thread, keep-alive agents' },
    machine: { node: process.version, platform: `${os.platform()} ${os.release()} ${os.arch()}`, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, totalMemMiB: Math.round(os.totalmem() / 2 ** 20), loadavgStart, loadavgEnd },
    notes: NOTES,
    variants: results,
  };
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'var', 'bench');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `gateway-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(rounded(report), null, 2)}\n`);

  process.stdout.write(`\nNotes:\n${NOTES.map((n) => `  - ${n}`).join('\n')}\n`);
  process.stdout.write(`\nLoad average ${loadavgStart.map((l) => l.toFixed(2)).join(' ')} → ${loadavgEnd.map((l) => l.toFixed(2)).join(' ')}; total ${report.durationS.toFixed(1)} s\n`);
  process.stdout.write(`JSON: ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`[bench] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
