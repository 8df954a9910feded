// Graceful stop of a real `passerelle serve` process (issue 13 point 1): SIGTERM with 10 requests
// in flight through the gateway to a slow upstream — all 10 complete with 200, /readyz turns 503
// at once, new connections are refused, the process exits 0; a second signal exits at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http, { type ServerResponse } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config/index.ts';
import { openRuntime } from '../src/app/runtime.ts';
import { exportPrivateKeyPem, generateKeyPair } from '../src/pki/index.ts';
import { APP_HOST, PASSWORD, csrfOf, freePort } from './helpers/gateway.ts';
import { accepts, eventually, startServe, tlsRequest, type ServeProcess } from './helpers/serve-process.ts';

interface Setup {
  env: Record<string, string>;
  ports: { public: number; gateway: number; admin: number };
  ca: string;
  cert: { certPem: string; keyPem: string };
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-stop-'));
const held: ServerResponse[] = [];
const upstream = http.createServer((req, res) => {
  if (req.url?.startsWith('/slow')) held.push(res);
  else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
});
let setup: Setup;

beforeAll(async () => {
  const [publicPort, gatewayPort, adminPort, upstreamPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  await new Promise<void>((resolve) => upstream.listen(upstreamPort, '127.0.0.1', resolve));
  const file = path.join(dir, 'passerelle.yaml');
  writeFileSync(
    file,
    [
      `publicUrl: https://localhost:${publicPort}`,
      'listeners:',
      `  public: { host: 127.0.0.1, port: ${publicPort} }`,
      `  gateway: { host: 127.0.0.1, port: ${gatewayPort} }`,
      `  admin: { host: 127.0.0.1, port: ${adminPort} }`,
      'shutdown: { graceSeconds: 120 }',
      'applications:',
      `  - { id: opendrp, name: OpenDRP, host: ${APP_HOST}, upstream: "http://127.0.0.1:${upstreamPort}" }`,
      '',
    ].join('\n'),
  );
  const env = { PASSERELLE_CONFIG: file, PASSERELLE_DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', REDIS_URL: '' };
  // The account and its certificate are made here, in the same data directory the server then opens.
  const runtime = await openRuntime(loadConfig({ env }), { createPkiIfMissing: true });
  const actor = { name: 'test', ip: null };
  const { user } = await runtime.accounts.createUser({ givenName: 'Hélène', familyName: 'Arrêt', email: 'arret@example.org', establishmentId: null, password: PASSWORD }, actor);
  await runtime.accounts.addGrant(user.id, 'opendrp', actor);
  const keys = await generateKeyPair('ec-p256');
  const record = await runtime.authority.issueForUser(user, 'Poste de test', keys.publicKey, actor);
  const cert = { certPem: record.pem, keyPem: await exportPrivateKeyPem(keys.privateKey) };
  const ca = runtime.pki.chainPem;
  await runtime.close();
  setup = { env, ports: { public: publicPort, gateway: gatewayPort, admin: adminPort }, ca, cert };
}, 120_000);

afterAll(async () => {
  for (const res of held.splice(0)) res.destroy();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

async function startAndSignIn(): Promise<{ server: ServeProcess; cookies: Map<string, string> }> {
  const server = startServe(setup.env, setup.ports.admin);
  await eventually(async () => (await server.admin('/readyz').catch(() => ({ status: 0 }))).status === 200, `ready (log: ${server.raw()})`);
  const cookies = new Map<string, string>();
  const gateway = { port: setup.ports.gateway, host: APP_HOST, ca: setup.ca, cert: setup.cert, cookies };
  const form = await tlsRequest({ ...gateway, path: '/.passerelle/login?next=/' });
  expect(form.status).toBe(200);
  const body = new URLSearchParams({ csrf: csrfOf(form.body), password: PASSWORD, next: '/' }).toString();
  const login = await tlsRequest({ ...gateway, method: 'POST', path: '/.passerelle/login', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  expect(login.status).toBe(303);
  return { server, cookies };
}

describe('graceful stop', () => {
  it('SIGTERM with 10 requests in flight: all 10 complete with 200, readiness 503 at once, new connections refused, exit 0', async () => {
    const { server, cookies } = await startAndSignIn();
    try {
      const gateway = { port: setup.ports.gateway, host: APP_HOST, ca: setup.ca, cert: setup.cert, cookies };
      const inFlight = Array.from({ length: 10 }, (_, i) => tlsRequest({ ...gateway, path: `/slow?n=${i}` }));
      await eventually(() => held.length === 10, 'the 10 requests reached the upstream');

      server.child.kill('SIGTERM');
      const ready = await eventually(async () => {
        const answer = await server.admin('/readyz');
        return answer.status === 503 ? answer : false;
      }, 'readiness turns 503');
      expect(ready.body).toMatchObject({ error: 'not_ready', failed: expect.arrayContaining(['shutdown']) });
      await eventually(async () => !(await accepts(setup.ports.gateway)) && !(await accepts(setup.ports.public)), 'both listeners refuse new connections');
      // Still draining: the process waits for the 10.
      expect(server.child.exitCode).toBeNull();

      for (const res of held.splice(0)) res.writeHead(200, { 'content-type': 'text/plain' }).end('slow done');
      const answers = await Promise.all(inFlight);
      expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
      expect(answers.every((a) => a.body === 'slow done')).toBe(true);
      expect(await server.exited).toEqual({ code: 0, signal: null });

      // One access line per request, each with its own id, answered as X-Request-Id too.
      const slow = server.lines.filter((l) => l.msg === 'request' && l.path === '/slow');
      expect(slow).toHaveLength(10);
      expect(slow.every((l) => l.status === 200 && l.surface === 'gateway' && l.app === 'opendrp')).toBe(true);
      expect(new Set(slow.map((l) => l.reqId)).size).toBe(10);
      expect(new Set(answers.map((a) => a.headers['x-request-id']))).toEqual(new Set(slow.map((l) => l.reqId)));
      expect(server.lines.some((l) => l.msg === 'stopped')).toBe(true);
    } finally {
      server.kill();
    }
  }, 240_000);

  it('a second signal exits at once, without waiting for the request in flight', async () => {
    const { server, cookies } = await startAndSignIn();
    try {
      const pending = tlsRequest({ port: setup.ports.gateway, host: APP_HOST, ca: setup.ca, cert: setup.cert, cookies, path: '/slow' }).catch((error: Error) => error);
      await eventually(() => held.length === 1, 'the request reached the upstream');
      server.child.kill('SIGTERM');
      await eventually(async () => (await server.admin('/readyz')).status === 503, 'draining');
      server.child.kill('SIGTERM');
      expect(await server.exited).toEqual({ code: 143, signal: null });
      expect(await pending).toBeInstanceOf(Error);
    } finally {
      for (const res of held.splice(0)) res.destroy();
      server.kill();
    }
  }, 240_000);
});
