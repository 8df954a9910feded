// `workers: 2` on one machine (issue 14): a real `passerelle serve` whose primary forks two
// workers sharing the ports, sessions (Redis), cache invalidation and TLS session tickets. The
// primary's admin listener asks every worker (/readyz) and sums their metrics (/metrics).
import http from 'node:http';
import https from 'node:https';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/index.ts';
import { openRuntime } from '../src/app/runtime.ts';
import { exportPrivateKeyPem, generateKeyPair } from '../src/pki/index.ts';
import { APP_HOST, PASSWORD, csrfOf, freePort } from './helpers/gateway.ts';
import { sessionBackends } from './helpers/backends.ts';
import { eventually, startServe, tlsRequest, type ServeProcess } from './helpers/serve-process.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');
const redisUrl = sessionBackends().find((s) => s.url)?.url ?? null;

describe.skipIf(!redisUrl)('workers: 2 (not run here: no REDIS_URL — more than one worker needs Redis)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-workers-'));
  const upstream = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(`pid ${process.pid}`));
  let env: Record<string, string>;
  let ports: { public: number; gateway: number; admin: number };
  let ca: string;
  let cert: { certPem: string; keyPem: string; serial: string };
  let server: ServeProcess;

  beforeAll(async () => {
    const [publicPort, gatewayPort, adminPort, upstreamPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
    ports = { public: publicPort, gateway: gatewayPort, admin: adminPort };
    await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
    const file = path.join(dir, 'passerelle.yaml');
    writeFileSync(
      file,
      [
        `publicUrl: https://localhost:${publicPort}`,
        'workers: 2',
        'listeners:',
        `  public: { host: 127.0.0.1, port: ${publicPort} }`,
        `  gateway: { host: 127.0.0.1, port: ${gatewayPort} }`,
        `  admin: { host: 127.0.0.1, port: ${adminPort} }`,
        'applications:',
        `  - { id: opendrp, name: OpenDRP, host: ${APP_HOST}, upstream: "http://127.0.0.1:${upstreamPort}" }`,
        '',
      ].join('\n'),
    );
    env = { PASSERELLE_CONFIG: file, PASSERELLE_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', REDIS_URL: redisUrl!, PASSERELLE_COMPILED: '0' };
    const runtime = await openRuntime(loadConfig({ env }), { createPkiIfMissing: true });
    const actor = { name: 'test', ip: null };
    const { user } = await runtime.accounts.createUser({ givenName: 'Hélène', familyName: 'Ouvrière', email: 'workers@example.org', establishmentId: null, password: PASSWORD }, actor);
    await runtime.accounts.addGrant(user.id, 'opendrp', actor);
    const keys = await generateKeyPair('ec-p256');
    const record = await runtime.authority.issueForUser(user, 'Poste de test', keys.publicKey, actor);
    cert = { certPem: record.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: record.serial };
    ca = runtime.pki.chainPem;
    await runtime.close();
    server = startServe(env, adminPort);
    await eventually(async () => (await server.admin('/readyz').catch(() => ({ status: 0 }))).status === 200, `ready (log: ${server.raw().slice(-3000)})`);
  }, 180_000);

  afterAll(async () => {
    server?.kill();
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('the primary reports every worker ready and sums their metrics', async () => {
    const ready = await server.admin('/readyz');
    expect(ready.status).toBe(200);
    const checks = ready.body.checks as Record<string, string>;
    expect(Object.keys(checks)).toEqual(expect.arrayContaining(['worker0.database', 'worker0.redis', 'worker1.database', 'worker1.redis']));
    // Log lines reach stderr in chunks (at least every second): wait for both workers' line.
    const pids = await eventually(() => {
      const listening = new Set(server.lines.filter((l) => l.msg === 'listening').map((l) => l.pid));
      return listening.size === 2 ? listening : false;
    }, 'both workers logged "listening"', 30_000);
    expect(pids.size).toBe(2);
  });

  it('requests spread over both workers share the session, the limits and a revocation made by the CLI', async () => {
    const cookies = new Map<string, string>();
    const gateway = { port: ports.gateway, host: APP_HOST, ca, cert, cookies };
    const form = await tlsRequest({ ...gateway, path: '/.passerelle/login?next=/' });
    const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' }).toString();
    expect((await tlsRequest({ ...gateway, method: 'POST', path: '/.passerelle/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body })).status).toBe(303);

    // New connections are dealt round-robin: the one session opens the application on both workers.
    const answers = await Promise.all(Array.from({ length: 12 }, () => tlsRequest({ ...gateway, path: '/hello' })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(200));
    const ids = new Set(answers.map((a) => a.headers['x-request-id']));
    await eventually(() => server.lines.filter((l) => l.msg === 'request' && ids.has(l.reqId as string)).length === 12, 'the access lines are written');
    const pids = new Set(server.lines.filter((l) => l.msg === 'request' && ids.has(l.reqId as string)).map((l) => l.pid));
    expect(pids.size).toBe(2);

    const metrics = await server.admin('/metrics');
    const line = String(metrics.body.text).split('\n').find((l) => l.startsWith('passerelle_http_requests_total{') && l.includes('app="opendrp"') && l.includes('status="200"'));
    expect(Number(line?.split(' ').pop())).toBeGreaterThanOrEqual(12);

    // Keep-alive connections on both workers; the CLI in another process revokes the certificate.
    const agents = [0, 1, 2, 3].map(() => new https.Agent({ keepAlive: true, maxSockets: 1, ca, cert: cert.certPem, key: cert.keyPem }));
    const get = (agent: https.Agent) =>
      new Promise<number>((resolve, reject) => {
        https
          .get({ host: '127.0.0.1', port: ports.gateway, servername: APP_HOST, path: '/hello', agent, headers: { host: APP_HOST, accept: 'application/json', cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') } }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          })
          .on('error', reject);
      });
    try {
      expect(await Promise.all(agents.map(get))).toEqual([200, 200, 200, 200]);
      await run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), 'cert', 'revoke', cert.serial, '--reason', 'keyCompromise'], { env: { ...process.env, ...env }, cwd: ROOT });
      const refused = await eventually(async () => {
        const statuses = await Promise.all(agents.map(get));
        return statuses.every((s) => s === 495) ? statuses : false;
      }, 'every connection refused after the revocation', 30_000);
      expect(refused).toEqual([495, 495, 495, 495]);
    } finally {
      for (const agent of agents) agent.destroy();
    }
  });

  it('SIGTERM to the primary stops both workers gracefully and the primary exits 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.lines.filter((l) => l.msg === 'stopped')).toHaveLength(2);
  });
});
