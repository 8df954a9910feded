/**
 * The proxied request side by side with nginx: `npm run bench` (first part).
 *
 * Starts a plain upstream (1 KB JSON at /small, 64 KB at /large), Passerelle through its
 * production start-up (`passerelle serve`, its own process) with one signed-in clinician, and —
 * when Debian's nginx is installed — nginx as an mTLS reverse proxy with the same server
 * certificate, client CA and upstream. One load generator (its own process, client certificate,
 * keep-alive) drives each target in turn, interleaved, repeated; the medians are reported.
 * CPU per request is the CPU time of the target's whole process tree (/proc) during the
 * measured part, divided by the requests served.
 *
 * Knobs: BENCH_SECONDS (3 per scenario), BENCH_REPEAT (3), BENCH_CONCURRENCY ("1,8,32,64"),
 * BENCH_SESSIONS (sessions opened for the memory figure, 1000). Writes var/bench/proxy-<time>.json
 * and .md. Figures from a shared machine: compare ratios measured in one run, never assert on them.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeRss } from './bench/proxy/cpu.ts';
import { runLoad, type LoadResult, type LoadSpec } from './bench/proxy/load.ts';
import { NGINX, startNginx } from './bench/proxy/nginx.ts';
import { APP_HOST, preparePasserelle, request, revoke, signIn, startPasserelle, type PasserelleTarget } from './bench/proxy/passerelle.ts';
import { freePort, start, type Started } from './bench/proxy/processes.ts';
import { renderMarkdown, type Report, type Row } from './bench/proxy/report.ts';

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got ${raw})`);
  return value;
}

const SECONDS = intEnv('BENCH_SECONDS', 3);
const REPEAT = intEnv('BENCH_REPEAT', 3);
const SESSIONS = intEnv('BENCH_SESSIONS', 1000);
const CONCURRENCIES = (process.env.BENCH_CONCURRENCY?.trim() || '1,8,32,64').split(',').map(Number);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

interface Target {
  name: string;
  url: string;
  pids: () => number[];
  tls: boolean;
  cookie?: string;
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
    ...keepAlive.map((s) => ({ ...s, spec: { ...s.spec } })),
    { name: 'GET 64 KB keep-alive c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 400, keepAlive: true, path: '/large' } },
    { name: 'full TLS handshakes c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false, handshakeOnly: true } },
    { name: 'new connection + first GET c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false } },
    { name: 'resumed connection + first GET c=8', spec: { concurrency: 8, requests: 10_000_000, seconds: SECONDS, warmup: 40, keepAlive: false, resume: true } },
  ];
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-bench-'));
  const running: Started[] = [];
  try {
    const upstreamPort = await freePort();
    const upstream = await start(process.execPath, [fileURLToPath(new URL('./bench/proxy/upstream.ts', import.meta.url)), String(upstreamPort)], { label: 'upstream', ready: /ready/ });
    running.push(upstream);

    const passerelle = preparePasserelle({ dir: path.join(work, 'passerelle'), upstreamPort, publicPort: await freePort(), gatewayPort: await freePort() });
    const gateway = await startPasserelle(passerelle);
    running.push(gateway);
    const idleRss = treeRss(gateway.pid);
    const cookie = await signIn(passerelle);

    const targets: Target[] = [{ name: 'upstream direct', url: `http://127.0.0.1:${upstreamPort}/small`, pids: () => [upstream.pid], tls: false }];
    if (NGINX) {
      const nginxPort = await freePort();
      const nginx = await startNginx({ dir: path.join(work, 'nginx'), port: nginxPort, upstreamPort, workers: 1, serverChain: passerelle.serverChain, serverKey: passerelle.serverKey, clientCa: passerelle.chain });
      running.push(nginx);
      targets.push({ name: 'nginx (1 worker)', url: `https://127.0.0.1:${nginxPort}/small`, pids: () => [nginx.pid], tls: true });
    } else {
      console.log('nginx is not installed (Debian: apt-get install nginx): no reference column');
    }
    targets.push({ name: 'Passerelle', url: `https://127.0.0.1:${passerelle.gatewayPort}/small`, pids: () => [gateway.pid], tls: true, cookie });

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
            ...(target.tls ? { host: APP_HOST, servername: APP_HOST, ca: passerelle.rootCa, cert: passerelle.clientCert, key: passerelle.clientKey } : {}),
            ...(target.cookie ? { cookie: target.cookie } : {}),
          };
          const result = await runLoad(spec, target.pids());
          const key = `${scenario.name}\u0000${target.name}`;
          results.set(key, [...(results.get(key) ?? []), result]);
          process.stdout.write(`round ${round}/${REPEAT}  ${scenario.name.padEnd(36)} ${target.name.padEnd(18)} ${result.perSecond.toFixed(0).padStart(7)}/s  p50 ${result.p50Ms.toFixed(2)} ms  p99 ${result.p99Ms.toFixed(2)} ms  ${result.targetCpuUsPerRequest.toFixed(0)} µs CPU/req${result.failures ? `  ${result.failures} failed ${JSON.stringify(result.failureKinds)}` : ''}\n`);
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

    const afterLoadRss = treeRss(gateway.pid);
    const sessionsRss = await openSessions(passerelle, SESSIONS, gateway.pid);
    const revocationMs = await revocationLatency(passerelle, cookie);

    const report: Report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
      settings: { seconds: SECONDS, repeat: REPEAT, concurrencies: CONCURRENCIES, sessions: SESSIONS },
      rows,
      memory: { idleRssBytes: idleRss.total, afterLoadRssBytes: afterLoadRss.total, afterSessionsRssBytes: sessionsRss.total, sessions: SESSIONS },
      revocationMs,
    };
    const out = path.join(ROOT, 'var', 'bench');
    mkdirSync(out, { recursive: true });
    const stamp = report.date.replace(/[:.]/g, '-');
    writeFileSync(path.join(out, `proxy-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
    const markdown = renderMarkdown(report);
    writeFileSync(path.join(out, `proxy-${stamp}.md`), markdown);
    console.log(`\n${markdown}\nwritten to var/bench/proxy-${stamp}.{json,md}`);
  } finally {
    for (const process of running.reverse()) await process.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/** Opens `count` more sessions (a login each: argon2id) and reads the RSS after them. */
async function openSessions(target: PasserelleTarget, count: number, pid: number): Promise<{ total: number }> {
  let next = 0;
  const lane = async () => {
    while (next < count) {
      next += 1;
      await signIn(target);
    }
  };
  await Promise.all(Array.from({ length: 4 }, lane));
  return treeRss(pid);
}

/** Requests in a loop on one keep-alive connection; the certificate is revoked by the CLI (another process); time from the CLI's exit to the first refusal. */
async function revocationLatency(target: PasserelleTarget, cookie: string): Promise<number | null> {
  const cookies = new Map(cookie.split('; ').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)] as [string, string]));
  let refusedAt: number | null = null;
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const reply = await request(target, 'GET', '/small', cookies);
      if (reply.status !== 200) {
        refusedAt = performance.now();
        return;
      }
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  revoke(target);
  const committed = performance.now();
  const deadline = setTimeout(() => (stop = true), 10_000);
  await loop;
  clearTimeout(deadline);
  return refusedAt === null ? null : Math.max(0, (refusedAt as number) - committed);
}

await main();
