/**
 * The integration guide's Python example (examples/verify-assertion-python: standard library +
 * `cryptography`) against a real gateway whose application has renamed headers: the example reads the
 * names from configuration (PASSERELLE_HEADERS, the application's `headers` block as JSON), accepts what
 * the gateway really sent and refuses tampered, foreign-audience, `alg: none` and mismatched requests.
 * The Node example reads the same configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAssertionVerifier, headerNamesFromConfig } from '../examples/verify-assertion/verify.ts';
import { APP_HOST, freePort, signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SCRIPT = path.join(ROOT, 'examples/verify-assertion-python/passerelle_assertion.py');
const RENAMED = { user: 'X-OpenDRP-Login', assertion: 'X-OpenDRP-Assertion' };

type Verdict = { ok: true; identity: Record<string, unknown> } | { ok: false; reason: string };

describe('the Python verify-assertion example against a real gateway', () => {
  let gw: TestGateway;
  let upstream: Server;
  let dir: string;
  let env: Record<string, string>;
  let seen: IncomingHttpHeaders;
  let user: { identifier: string; id: string };

  function python(headers: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<Verdict> {
    return new Promise((resolve, reject) => {
      const child = execFile('python3', [SCRIPT], { env: { PATH: process.env.PATH ?? '', ...env, ...extraEnv } }, (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Verdict);
      });
      child.stdin!.end(JSON.stringify({ headers }));
    });
  }

  beforeAll(async () => {
    const port = await freePort();
    upstream = http.createServer((req, res) => {
      seen = { ...req.headers };
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    upstream.listen(port, '127.0.0.1');
    await once(upstream, 'listening');
    gw = await startTestGateway({ overrides: { applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${port}`, headers: RENAMED }] } });
    dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-python-'));
    writeFileSync(path.join(dir, 'ca.pem'), gw.runtime.pki.chainPem);
    env = {
      PASSERELLE_JWKS_URL: `https://localhost:${gw.listeners.publicPort}/.well-known/jwks.json`,
      PASSERELLE_ISSUER: gw.config.publicUrl,
      PASSERELLE_AUDIENCE: 'opendrp',
      PASSERELLE_CA_FILE: path.join(dir, 'ca.pem'),
      PASSERELLE_HEADERS: JSON.stringify(RENAMED),
    };
    const created = await gw.user();
    user = created;
    const cert = await gw.personalCertificate(created);
    const { cookies } = await signIn(gw, cert);
    const res = await gw.request({ path: '/dossiers', cert, cookies, headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    upstream?.close();
    await gw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('accepts what the gateway sent, under the renamed headers read from configuration', { timeout: 60_000 }, async () => {
    expect(seen['x-opendrp-assertion']).toBeTruthy();
    expect(seen['x-passerelle-assertion']).toBeUndefined();
    const verdict = await python(seen);
    expect(verdict).toEqual({ ok: true, identity: expect.objectContaining({ id: user.id, identifier: user.identifier, authMethod: 'personal-certificate', amr: ['swk', 'pwd', 'mfa'], legacyUsername: null }) });
    // With the default names it finds no assertion: the names really come from the configuration.
    expect(await python(seen, { PASSERELLE_HEADERS: '' })).toEqual({ ok: false, reason: 'missing_assertion' });
  });

  it('refuses a tampered token, another audience, alg none and a header that disagrees', { timeout: 60_000 }, async () => {
    const token = seen['x-opendrp-assertion'] as string;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, preferred_username: 'admin' })).toString('base64url');
    expect(await python({ ...seen, 'x-opendrp-assertion': `${header}.${forgedPayload}.${signature}`, 'x-opendrp-login': 'admin' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await python(seen, { PASSERELLE_AUDIENCE: 'autre-application' })).toEqual({ ok: false, reason: 'invalid_claim_aud' });
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expect(await python({ ...seen, 'x-opendrp-assertion': none })).toEqual({ ok: false, reason: 'algorithm_not_allowed' });
    expect(await python({ ...seen, 'x-opendrp-login': 'someone.else' })).toEqual({ ok: false, reason: 'user_header_mismatch' });
  });

  it('the Node example reads the same configuration', async () => {
    const verifier = createAssertionVerifier({ jwksUrl: env.PASSERELLE_JWKS_URL!, issuer: gw.config.publicUrl, audience: 'opendrp', caPem: gw.runtime.pki.chainPem, headers: headerNamesFromConfig(JSON.stringify(RENAMED)) });
    const result = await verifier.verifyRequest(seen);
    expect(result).toMatchObject({ ok: true, identity: { identifier: user.identifier } });
    expect(headerNamesFromConfig(JSON.stringify(RENAMED))).toMatchObject({ user: 'x-opendrp-login', assertion: 'x-opendrp-assertion', authMethod: 'x-passerelle-auth-method' });
  });
});
