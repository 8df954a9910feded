import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startDemoApp } from '../src/demo/app.ts';
import type { DemoApp } from '../src/demo/app.ts';
import { signAssertion } from '../src/identity/assertion.ts';
import type { Identity } from '../src/identity/headers.ts';
import { jwks, loadOrCreateSigningKey } from '../src/identity/signing-key.ts';
import type { SigningKey } from '../src/identity/signing-key.ts';
import { ManualClock } from '../src/shared/clock.ts';

const ISSUER = 'https://passerelle.localhost:8443';
const IDENTITY: Identity = {
  userId: 'usr_01',
  identifier: 'helene.lefevre',
  displayName: 'Hélène Lefèvre',
  email: 'helene.lefevre@example.org',
  authMethod: 'personal-certificate',
  certificateSerial: '5A3F09C1D2',
  certificateSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  establishmentId: null,
  establishmentName: null,
};

let dir: string;
let caPem: string;
let jwksServer: Server;
let jwksUrl: string;
let served: SigningKey[] = [];
let jwksFetches = 0;
let key: SigningKey;
let clock: ManualClock;
let demo: DemoApp;

/** A local HTTPS server standing in for Passerelle's public JWKS endpoint. */
async function startJwksServer(): Promise<void> {
  const keyFile = join(dir, 'tls.key');
  const certFile = join(dir, 'tls.crt');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,DNS:passerelle.localhost,IP:127.0.0.1', '-days', '1', '-keyout', keyFile, '-out', certFile,
  ], { stdio: 'ignore' });
  caPem = await readFile(certFile, 'utf8');
  jwksServer = createServer({ key: await readFile(keyFile), cert: caPem }, (req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(jwks(served)));
  });
  jwksServer.listen(0, '127.0.0.1');
  await once(jwksServer, 'listening');
  // *.localhost is resolved to loopback by the demo app itself (Node's resolver may not).
  jwksUrl = `https://passerelle.localhost:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
}

function assertionFor(signingKey: SigningKey, over: { identity?: Identity; audience?: string; at?: ManualClock } = {}): Promise<string> {
  return signAssertion(signingKey, {
    identity: over.identity ?? IDENTITY,
    issuer: ISSUER,
    audience: over.audience ?? 'opendrp',
    clock: over.at ?? clock,
    ttlSeconds: 30,
  });
}

function get(app: DemoApp, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${app.port}${path}`, { headers });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-demo-'));
  key = await loadOrCreateSigningKey(join(dir, 'keys'));
  served = [key];
  await startJwksServer();
  clock = new ManualClock();
  demo = await startDemoApp({ port: 0, host: '127.0.0.1', jwksUrl, issuer: ISSUER, audience: 'opendrp', caPem, clock });
});

afterAll(async () => {
  await demo?.close();
  jwksServer?.closeAllConnections();
  await new Promise((resolve) => jwksServer?.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

describe('demo application', () => {
  it('shows the verified person and every received header', async () => {
    const response = await get(demo, '/', { 'x-passerelle-assertion': await assertionFor(key), 'x-custom-probe': 'valeur-test' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('OpenDRP démo — connecté en tant que Hélène Lefèvre (helene.lefevre)');
    // A way out: the gateway's sign-out (issue 11, point 11).
    expect(html).toContain('<a href="/.passerelle/logout">Se déconnecter</a>');
    expect(html).toContain('x-custom-probe');
    expect(html).toContain('valeur-test');
    expect(html).toContain('x5t#S256');
  });

  it('escapes what it renders', async () => {
    const identity = { ...IDENTITY, displayName: '<script>alert(1)</script>' };
    const html = await (await get(demo, '/', { 'x-passerelle-assertion': await assertionFor(key, { identity }), 'x-probe': '<img src=x>' })).text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x>');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('refuses a request without an assertion', async () => {
    const page = await get(demo, '/');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('accès refusé');
    const api = await get(demo, '/api/whoami');
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'assertion_invalid', reason: 'missing' });
  });

  it('refuses an assertion for another application', async () => {
    const response = await get(demo, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(key, { audience: 'labo' }) });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'assertion_invalid', reason: 'wrong_audience' });
  });

  it('answers /api/whoami with the claims and headers that arrived', async () => {
    const response = await get(demo, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(key), 'x-passerelle-user': 'helene.lefevre' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { verified: boolean; claims: Record<string, unknown>; headers: Record<string, string> };
    expect(body.verified).toBe(true);
    expect(body.claims).toMatchObject({ sub: 'usr_01', name: 'Hélène Lefèvre', aud: 'opendrp' });
    expect(body.headers['x-passerelle-user']).toBe('helene.lefevre');
  });

  it('refuses an expired assertion', async () => {
    const at = new ManualClock(clock.now().getTime() - 31_000);
    const response = await get(demo, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(key, { at }) });
    expect(await response.json()).toEqual({ error: 'assertion_invalid', reason: 'expired' });
  });

  it('streams a 5 MB body back from POST /api/echo', async () => {
    const body = randomBytes(5 * 1024 * 1024);
    const response = await fetch(`http://127.0.0.1:${demo.port}/api/echo`, {
      method: 'POST',
      headers: { 'x-passerelle-assertion': await assertionFor(key), 'content-type': 'application/octet-stream' },
      body,
    });
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(body)).toBe(true);
  });

  it('echoes WebSocket messages, and refuses the upgrade without an assertion', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${demo.port}/ws/echo`, { headers: { 'x-passerelle-assertion': await assertionFor(key) } });
    await once(ws, 'open');
    ws.send('bonjour Hélène');
    const [message, isBinary] = (await once(ws, 'message')) as [Buffer, boolean];
    expect(isBinary).toBe(false);
    expect(message.toString('utf8')).toBe('bonjour Hélène');
    ws.close();

    const refused = new WebSocket(`ws://127.0.0.1:${demo.port}/ws/echo`);
    const [request, response] = (await once(refused, 'unexpected-response')) as [ClientRequest, IncomingMessage];
    expect(response.statusCode).toBe(401);
    request.destroy();
  });

  it('refetches the JWKS for an unknown kid at most once per 30 s', async () => {
    const ownClock = new ManualClock();
    const app = await startDemoApp({ port: 0, jwksUrl, issuer: ISSUER, caPem, clock: ownClock });
    try {
      const before = jwksFetches;
      expect((await get(app, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(key, { at: ownClock }) })).status).toBe(200);
      expect(jwksFetches).toBe(before + 1);

      const rotated = await loadOrCreateSigningKey(join(dir, 'rotated'));
      served = [key, rotated];
      const early = await get(app, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(rotated, { at: ownClock }) });
      expect(await early.json()).toEqual({ error: 'assertion_invalid', reason: 'unknown_key' });
      expect(jwksFetches).toBe(before + 1);

      ownClock.advance(30_000);
      const later = await get(app, '/api/whoami', { 'x-passerelle-assertion': await assertionFor(rotated, { at: ownClock }) });
      expect(later.status).toBe(200);
      expect(jwksFetches).toBe(before + 2);
    } finally {
      served = [key];
      await app.close();
    }
  });
});
