/**
 * Load generator, run in a worker thread by scripts/bench.ts. Each target is a keep-alive
 * agent (https: presenting the client certificate) driven closed-loop: `concurrency` lanes,
 * each sending its next request as soon as the previous response has been read.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import type { RunResult, Target, WorkerReply, WorkerRequest } from './protocol.ts';

interface Pool {
  target: Target;
  agent: http.Agent;
  seen: WeakSet<Socket>;
  connections: number;
}

const pools = new Map<string, Pool>();

function open(target: Target): Pool {
  const common = { keepAlive: true, maxSockets: target.concurrency, maxFreeSockets: target.concurrency };
  const agent =
    target.protocol === 'https' && target.tls
      ? new https.Agent({ ...common, cert: target.tls.certPem, key: target.tls.keyPem, ca: target.tls.caPem, servername: target.tls.servername })
      : new http.Agent(common);
  return { target, agent, seen: new WeakSet(), connections: 0 };
}

function requestOnce(pool: Pool): Promise<void> {
  const { target } = pool;
  const client = target.protocol === 'https' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request({ host: '127.0.0.1', port: target.port, path: target.path, method: target.method, headers: target.headers, agent: pool.agent }, (res) => {
      if (res.statusCode === target.expectStatus) {
        res.resume();
        res.on('end', resolve);
        res.on('error', reject);
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => reject(new Error(`${target.method} ${target.path}: expected ${target.expectStatus}, got ${res.statusCode ?? '?'}: ${Buffer.concat(chunks).toString('utf8').slice(0, 300)}`)));
    });
    req.on('socket', (socket: Socket) => {
      if (pool.seen.has(socket)) return;
      pool.seen.add(socket);
      pool.connections += 1;
    });
    req.on('error', reject);
    req.end();
  });
}

async function run(pool: Pool, count: number): Promise<RunResult> {
  const latencies = new Float64Array(count);
  let next = 0;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < count; i = next++) {
      const start = performance.now();
      await requestOnce(pool);
      latencies[i] = performance.now() - start;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: Math.min(pool.target.concurrency, count) }, lane));
  return { latencies, wallMs: performance.now() - start, connections: pool.connections };
}

async function handle(message: WorkerRequest): Promise<RunResult | null> {
  switch (message.op) {
    case 'open':
      pools.set(message.id, open(message.target));
      return null;
    case 'run': {
      const pool = pools.get(message.id);
      if (!pool) throw new Error(`no pool ${message.id}`);
      return run(pool, message.count);
    }
    case 'close':
      pools.get(message.id)?.agent.destroy();
      pools.delete(message.id);
      return null;
  }
}

const port = parentPort;
if (!port) throw new Error('load-worker.ts runs as a worker thread');
port.on('message', (message: WorkerRequest) => {
  handle(message).then(
    (result) => {
      const reply: WorkerReply = { seq: message.seq, ok: true, result };
      port.postMessage(reply, result ? [result.latencies.buffer] : []);
    },
    (error: unknown) => {
      const reply: WorkerReply = { seq: message.seq, ok: false, error: error instanceof Error ? error.message : String(error) };
      port.postMessage(reply);
    },
  );
});
