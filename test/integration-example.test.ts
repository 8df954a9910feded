/**
 * The integration guide's Node example (examples/verify-assertion) against a real gateway: the
 * example server is the application's upstream, and its verifier accepts the assertion the
 * gateway really sends and refuses forged, replayed-elsewhere, expired or mismatched ones.
 */
import type { IncomingHttpHeaders, Server } from 'node:http';
import { once } from 'node:events';
import http from 'node:http';
import { SignJWT, decodeJwt, decodeProtectedHeader, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssertionVerifier, type VerifierOptions } from '../examples/verify-assertion/verify.ts';
import { createExampleServer } from '../examples/verify-assertion/server.ts';
import { signAssertion, type Identity } from '../src/identity/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { APP_HOST, freePort, signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const JSON_ACCEPT = { accept: 'application/json' };

/** A request straight to the application, bypassing the gateway. */
function direct(port: number, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown }));
    });
    req.on('error', reject);
  });
}

describe('the verify-assertion example against a real gateway', () => {
  let gw: TestGateway;
  let server: Server;
  let upstreamPort: number;
  let options: VerifierOptions;
  const seen: IncomingHttpHeaders[] = [];

  beforeAll(async () => {
    upstreamPort = await freePort();
    gw = await startTestGateway({ overrides: { applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${upstreamPort}` }] } });
    options = { jwksUrl: `https://localhost:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience: 'opendrp', caPem: gw.runtime.pki.chainPem };
    server = createExampleServer(options);
    // Keep what the application received, to run the verifier on it below.
    server.prependListener('request', (req: http.IncomingMessage) => seen.push({ ...req.headers }));
    server.listen(upstreamPort, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    server?.close();
    await gw?.close();
  });

  /** One request through the gateway, signed in with a personal certificate: the headers the application got. */
  async function throughGateway(): Promise<{ headers: IncomingHttpHeaders; body: { identity: Record<string, unknown> }; user: { id: string; identifier: string; givenName: string; familyName: string } }> {
    const user = await gw.user();
    const cert = await gw.personalCertificate(user);
    const { cookies } = await signIn(gw, cert);
    const res = await gw.request({ path: '/dossiers', cert, cookies, headers: JSON_ACCEPT });
    expect(res.status).toBe(200);
    return { headers: seen.at(-1)!, body: JSON.parse(res.body) as { identity: Record<string, unknown> }, user };
  }

  it('accepts what comes through the gateway, and refuses a request that did not', async () => {
    const { body, user, headers } = await throughGateway();
    expect(body.identity).toEqual({
      id: user.id,
      identifier: user.identifier,
      name: `${user.givenName} ${user.familyName}`,
      email: expect.stringMatching(/@example\.org$/),
      authMethod: 'personal-certificate',
      amr: ['swk', 'pwd', 'mfa'],
      establishment: null,
      legacyUsername: null,
    });

    // Straight to the application with made-up headers: no assertion, refused.
    const forged = await direct(upstreamPort, { 'x-passerelle-user': 'admin', 'x-passerelle-auth-method': 'personal-certificate' });
    expect(forged).toEqual({ status: 401, body: { error: 'unauthenticated', reason: 'missing_assertion' } });
    // Even with every header a real request carried, once its assertion has expired (replayed later).
    const replayed = createAssertionVerifier({ ...options, currentDate: () => new Date(Date.now() + 5 * 60_000) });
    expect(await replayed.verifyRequest(headers)).toEqual({ ok: false, reason: 'expired' });
  });

  it('the verify function: the real assertion passes, forged and mismatched ones do not', async () => {
    const { headers, user } = await throughGateway();
    const token = headers['x-passerelle-assertion'] as string;
    const verifier = createAssertionVerifier(options);

    const real = await verifier.verifyRequest(headers);
    expect(real).toMatchObject({ ok: true, identity: { identifier: user.identifier }, claims: { aud: 'opendrp', iss: gw.config.publicUrl } });
    expect((await verifier.verifyAssertion(token)).preferred_username).toBe(user.identifier);

    const claims = decodeJwt(token);
    const { kid } = decodeProtectedHeader(token);
    const withToken = (assertion: string) => verifier.verifyRequest({ ...headers, 'x-passerelle-assertion': assertion });

    // Another key claiming Passerelle's kid; then a kid Passerelle never published.
    const attacker = await generateKeyPair('ES256');
    const forge = (header: { alg: string; kid?: string }) => new SignJWT(claims).setProtectedHeader({ ...header, typ: 'JWT' }).sign(attacker.privateKey);
    expect(await withToken(await forge({ alg: 'ES256', kid: kid! }))).toEqual({ ok: false, reason: 'bad_signature' });
    expect(await withToken(await forge({ alg: 'ES256', kid: 'not-passerelle' }))).toEqual({ ok: false, reason: 'unknown_key' });

    // Claims changed under the real signature.
    const [head, , signature] = token.split('.');
    const tampered = Buffer.from(JSON.stringify({ ...claims, preferred_username: 'admin' })).toString('base64url');
    expect(await verifier.verifyRequest({ ...headers, 'x-passerelle-user': 'admin', 'x-passerelle-assertion': `${head}.${tampered}.${signature}` })).toEqual({ ok: false, reason: 'bad_signature' });

    // No signature at all, or HMAC keyed with the public key: the algorithm is fixed to ES256.
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    expect(await withToken(none)).toMatchObject({ ok: false });
    const hmac = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: kid!, typ: 'JWT' }).sign(Buffer.from(JSON.stringify(gw.signingKey.publicJwk)));
    expect(await withToken(hmac)).toEqual({ ok: false, reason: 'algorithm_not_allowed' });

    // Signed by Passerelle, but for another application, by another issuer, or long expired.
    const identity: Identity = {
      userId: user.id,
      identifier: user.identifier,
      displayName: 'Hélène',
      email: 'x@example.org',
      authMethod: 'personal-certificate',
      certificateSerial: headers['x-passerelle-certificate-serial'] as string,
      certificateSha256: headers['x-passerelle-certificate-sha256'] as string,
      establishmentId: null,
      establishmentName: null,
    };
    const sign = (o: { audience?: string; issuer?: string; clock?: ManualClock }) =>
      signAssertion(gw.signingKey, { identity, issuer: o.issuer ?? gw.config.publicUrl, audience: o.audience ?? 'opendrp', clock: o.clock ?? new ManualClock(Date.now()), ttlSeconds: 60 });
    expect(await withToken(await sign({}))).toMatchObject({ ok: true });
    expect(await withToken(await sign({ audience: 'labo' }))).toEqual({ ok: false, reason: 'invalid_claim_aud' });
    expect(await withToken(await sign({ issuer: 'https://ailleurs.example' }))).toEqual({ ok: false, reason: 'invalid_claim_iss' });
    expect(await withToken(await sign({ clock: new ManualClock(Date.now() - 10 * 60_000) }))).toEqual({ ok: false, reason: 'expired' });
    // Within the clock tolerance (5 s) a slightly future assertion still passes; beyond it, not.
    expect(await withToken(await sign({ clock: new ManualClock(Date.now() + 3_000) }))).toMatchObject({ ok: true });
    expect(await withToken(await sign({ clock: new ManualClock(Date.now() + 30_000) }))).toEqual({ ok: false, reason: 'invalid_claim_nbf' });

    // The plain headers must agree with the assertion.
    expect(await verifier.verifyRequest({ ...headers, 'x-passerelle-user': 'admin' })).toEqual({ ok: false, reason: 'user_header_mismatch' });
    expect(await verifier.verifyRequest({ ...headers, 'x-passerelle-certificate-sha256': 'ab'.repeat(32) })).toEqual({ ok: false, reason: 'certificate_binding_mismatch' });
    expect(await verifier.verifyRequest({ ...headers, 'x-passerelle-legacy-user': 'hlefevre' })).toEqual({ ok: false, reason: 'legacy_header_mismatch' });
    const { 'x-passerelle-assertion': _dropped, ...withoutAssertion } = headers;
    expect(await verifier.verifyRequest(withoutAssertion)).toEqual({ ok: false, reason: 'missing_assertion' });
  });
});
