// Load generator for `npm run bench` (scripts/bench-proxy.ts), run as its own process so its CPU
// is not counted against the target, by Node's own type stripping (no loader in the way).
// Input: one JSON argument (LoadSpec of load.ts): `requests` at most, for `seconds` at most.
// Output: the result, sent to the parent over IPC once the measured part is over.
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import { readFileSync } from 'node:fs';
// Erased by Node's type stripping: the spec is described once, in load.ts.
import type { LoadSpec as Spec } from './load.ts';

interface Outcome {
  ok: boolean;
  status: number | string;
  bytes: number;
  ns: number;
  resumed?: boolean;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;
const url = new URL(spec.url);
const isTls = url.protocol === 'https:';
const tlsOptions: tls.ConnectionOptions = isTls
  ? {
      ca: spec.ca ? readFileSync(spec.ca) : undefined,
      cert: spec.cert ? readFileSync(spec.cert) : undefined,
      key: spec.key ? readFileSync(spec.key) : undefined,
      servername: spec.servername ?? url.hostname,
    }
  : {};
// Node's agent caches TLS sessions: none unless resumption is what is measured.
const agent = isTls
  ? new https.Agent({ keepAlive: spec.keepAlive, maxSockets: spec.concurrency, maxCachedSessions: spec.resume ? 100 : 0, ...tlsOptions })
  : new http.Agent({ keepAlive: spec.keepAlive, maxSockets: spec.concurrency });
const headers = { host: spec.host ?? url.host, ...(spec.cookie ? { cookie: spec.cookie } : {}) };
const elapsed = (t0: bigint) => Number(process.hrtime.bigint() - t0);

function once(): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const options = { hostname: url.hostname, port: url.port, path: url.pathname + url.search, method: 'GET', agent, headers };
    const onResponse = (res: http.IncomingMessage) => {
      // Read now: the socket goes back to the agent (or away) before 'end'.
      const resumed = isTls && (res.socket as tls.TLSSocket | null)?.isSessionReused() === true;
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ ok: res.statusCode === 200, status: res.statusCode ?? 0, bytes, ns: elapsed(t0), resumed }));
      res.on('error', () => resolve({ ok: false, status: 'response_error', bytes, ns: elapsed(t0) }));
    };
    const req = isTls ? https.request(options, onResponse) : http.request(options, onResponse);
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, status: error.code ?? error.message, bytes: 0, ns: elapsed(t0) }));
    req.end();
  });
}

let lastSession: Buffer | undefined;

/** A TLS handshake and nothing else: the cost of a new connection without the request. */
function handshake(): Promise<Outcome> {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const socket = tls.connect({ host: url.hostname, port: Number(url.port), ...tlsOptions, session: spec.resume ? lastSession : undefined }, () => {
      const ns = elapsed(t0);
      const resumed = socket.isSessionReused();
      socket.end();
      resolve({ ok: true, status: 200, bytes: 0, ns, resumed });
    });
    socket.on('session', (session: Buffer) => (lastSession = session));
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ ok: false, status: error.code ?? error.message, bytes: 0, ns: elapsed(t0) }));
  });
}

/** `total` requests at most, for `seconds` at most when given. */
async function run(total: number, seconds: number): Promise<Outcome[]> {
  const results: Outcome[] = [];
  let next = 0;
  const deadline = seconds ? Date.now() + seconds * 1000 : Infinity;
  const one = spec.handshakeOnly ? handshake : once;
  const lane = async () => {
    while (next < total && Date.now() < deadline) {
      next += 1;
      results.push(await one());
    }
  };
  await Promise.all(Array.from({ length: Math.min(spec.concurrency, total) }, lane));
  return results;
}

await run(spec.warmup, 0);
// The parent samples the target's CPU, then says go.
process.send?.({ phase: 'measure' });
await new Promise((resolve) => process.once('message', resolve));
const cpu0 = process.cpuUsage();
const t0 = process.hrtime.bigint();
const results = await run(spec.requests, spec.seconds ?? 0);
const elapsedNs = elapsed(t0);
const cpu = process.cpuUsage(cpu0);
const latencies = results.map((r) => r.ns).sort((a, b) => a - b);
const pick = (q: number) => (latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0) / 1e6;
const failures = results.filter((r) => !r.ok);
const failureKinds: Record<string, number> = {};
for (const f of failures) failureKinds[String(f.status)] = (failureKinds[String(f.status)] ?? 0) + 1;
process.send?.({
  phase: 'done',
  result: {
    requests: results.length,
    failures: failures.length,
    failureKinds,
    resumed: results.filter((r) => r.resumed).length,
    seconds: elapsedNs / 1e9,
    perSecond: results.length / (elapsedNs / 1e9),
    p50Ms: pick(0.5),
    p99Ms: pick(0.99),
    bytes: results.reduce((sum, r) => sum + r.bytes, 0),
    generatorCpuUs: cpu.user + cpu.system,
  },
});
agent.destroy();
process.disconnect?.();
