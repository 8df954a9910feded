import { mkdtemp, rm, stat } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HeaderNames } from '../src/config/schema.ts';
import { assertionFailureReason, signAssertion, verifyAssertion } from '../src/identity/assertion.ts';
import { applyIdentityHeaders, stripClientIdentityHeaders, stripSessionCookie } from '../src/identity/headers.ts';
import type { Identity } from '../src/identity/headers.ts';
import { jwks, loadOrCreateSigningKey, signingKeyPath } from '../src/identity/signing-key.ts';
import type { SigningKey } from '../src/identity/signing-key.ts';
import { ManualClock } from '../src/shared/clock.ts';

const NAMES: HeaderNames = {
  user: 'X-Passerelle-User',
  legacyUser: 'X-Passerelle-Legacy-User',
  authMethod: 'X-Passerelle-Auth-Method',
  certificateSerial: 'X-Passerelle-Certificate-Serial',
  certificateSha256: 'X-Passerelle-Certificate-Sha256',
  establishment: 'X-Passerelle-Establishment',
  assertion: 'X-Passerelle-Assertion',
};
const RENAMED: HeaderNames = { ...NAMES, user: 'Remote-User', legacyUser: 'X-Legacy-Login' };

// SHA-256 of the empty string: a fingerprint whose base64url form is well known.
const EMPTY_SHA256_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_SHA256_B64URL = '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';

const IDENTITY: Identity = {
  userId: 'usr_01',
  identifier: 'helene.lefevre',
  displayName: 'Hélène Lefèvre',
  email: 'helene.lefevre@example.org',
  authMethod: 'personal-certificate',
  certificateSerial: '5A3F09C1D2',
  certificateSha256: EMPTY_SHA256_HEX,
  establishmentId: '690000001',
  establishmentName: 'Clinique du Parc — Lyon',
  legacyUsername: 'hlefevre',
};
const FORWARDED = { for: '192.0.2.10', host: 'opendrp.localhost:9443', port: '9443', proto: 'https' as const };
const ISSUER = 'https://passerelle.localhost:8443';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-identity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stripClientIdentityHeaders', () => {
  it('removes every spoofable identity or origin header and keeps the rest', () => {
    const headers: IncomingHttpHeaders = {
      'x-passerelle-user': 'admin',
      x_passerelle_user: 'admin',
      'X-PASSERELLE-ASSERTION': 'forged.jwt.value',
      'x-passerelle-anything-new': '1',
      'remote-user': 'admin',
      remote_user: 'admin',
      'x-legacy-login': 'root',
      'client-cert': ':MIIB:',
      'Client-Cert-Chain': ':MIIB:',
      'ssl-client-cert': 'pem',
      'X-SSL-Client-Verify': 'SUCCESS',
      'x-client-dn': 'CN=admin',
      'x-forwarded-for': '10.0.0.1',
      x_forwarded_host: 'evil.example',
      forwarded: 'for=10.0.0.1',
      'x-real-ip': '10.0.0.1',
      accept: 'text/html',
      cookie: 'sid=abc',
      'user-agent': 'curl/8',
      'x-request-id': 'r-1',
    };
    stripClientIdentityHeaders(headers, RENAMED);
    expect(headers).toEqual({ accept: 'text/html', cookie: 'sid=abc', 'user-agent': 'curl/8', 'x-request-id': 'r-1' });
  });
});

describe('applyIdentityHeaders', () => {
  it('overwrites client headers with ours, all ASCII, display name never in a header', () => {
    const headers: IncomingHttpHeaders = {
      'x-passerelle-user': 'admin',
      x_passerelle_auth_method: 'cps-card',
      'x-forwarded-for': '10.0.0.1',
      host: 'opendrp.localhost:9443',
    };
    applyIdentityHeaders(headers, { identity: IDENTITY, names: NAMES, assertion: 'a.b.c', forwarded: FORWARDED, sessionCookie: '__Host-passerelle', upgrade: false });
    expect(headers).toEqual({
      host: 'opendrp.localhost:9443',
      'x-passerelle-user': 'helene.lefevre',
      'x-passerelle-auth-method': 'personal-certificate',
      'x-passerelle-certificate-serial': '5A3F09C1D2',
      'x-passerelle-certificate-sha256': EMPTY_SHA256_HEX,
      'x-passerelle-establishment': '690000001',
      'x-passerelle-legacy-user': 'hlefevre',
      'x-passerelle-assertion': 'a.b.c',
      'x-forwarded-for': '192.0.2.10',
      'x-forwarded-host': 'opendrp.localhost:9443',
      'x-forwarded-port': '9443',
      'x-forwarded-proto': 'https',
    });
    for (const value of Object.values(headers)) {
      expect(String(value)).toMatch(/^[\x20-\x7e]+$/);
      expect(String(value)).not.toContain('Lef');
    }
  });

  it('uses renamed header names and omits optional headers when unset', () => {
    const headers: IncomingHttpHeaders = { 'x-passerelle-user': 'spoof' };
    const identity: Identity = { ...IDENTITY, legacyUsername: null, establishmentId: null, establishmentName: null };
    applyIdentityHeaders(headers, { identity, names: RENAMED, assertion: 'a.b.c', forwarded: FORWARDED, sessionCookie: '__Host-passerelle', upgrade: false });
    expect(headers['remote-user']).toBe('helene.lefevre');
    expect(headers).not.toHaveProperty('x-passerelle-user');
    expect(headers).not.toHaveProperty('x-legacy-login');
    expect(headers).not.toHaveProperty('x-passerelle-establishment');
  });

  it('drops hop-by-hop headers, the names Connection lists, URL rewrites and our session cookie', () => {
    const headers: IncomingHttpHeaders = {
      host: 'opendrp.localhost',
      connection: 'close, X-Passerelle-User, X-Demo-Listed, Host, Content-Length',
      'keep-alive': 'timeout=5',
      te: 'trailers',
      trailer: 'x-checksum',
      upgrade: 'h2c',
      'proxy-authorization': 'Basic Zm9vOmJhcg==',
      'proxy-connection': 'keep-alive',
      'x-original-url': '/admin',
      x_rewrite_url: '/admin',
      'x-demo-listed': 'gone',
      'content-length': '0',
      'transfer-encoding': 'chunked',
      cookie: 'app=1; __Host-passerelle=s%3Aabc.sig;theme=dark',
      'x-demo-kept': 'kept',
    };
    applyIdentityHeaders(headers, { identity: IDENTITY, names: NAMES, assertion: 'a.b.c', forwarded: FORWARDED, sessionCookie: '__Host-passerelle', upgrade: false });
    for (const name of ['connection', 'keep-alive', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-connection', 'x-original-url', 'x_rewrite_url', 'x-demo-listed']) expect(headers).not.toHaveProperty(name);
    expect(headers).toMatchObject({ host: 'opendrp.localhost', 'content-length': '0', 'transfer-encoding': 'chunked', cookie: 'app=1; theme=dark', 'x-demo-kept': 'kept', 'x-passerelle-user': 'helene.lefevre' });
    const onlyOurs: IncomingHttpHeaders = { cookie: '__Host-passerelle=s%3Aabc.sig' };
    stripSessionCookie(onlyOurs, '__Host-passerelle');
    expect(onlyOurs).toEqual({});
  });

  it('keeps Upgrade and sets Connection: upgrade on an authorised WebSocket handshake only', () => {
    const headers: IncomingHttpHeaders = { connection: 'Upgrade, X-Demo-Listed', upgrade: 'websocket', 'x-demo-listed': 'gone', 'sec-websocket-key': 'k' };
    applyIdentityHeaders(headers, { identity: IDENTITY, names: NAMES, assertion: 'a.b.c', forwarded: FORWARDED, sessionCookie: '__Host-passerelle', upgrade: true });
    expect(headers).toMatchObject({ connection: 'upgrade', upgrade: 'websocket', 'sec-websocket-key': 'k' });
    expect(headers).not.toHaveProperty('x-demo-listed');
  });

  it('refuses non-ASCII or control characters in a value', () => {
    const apply = (identity: Identity) =>
      applyIdentityHeaders({}, { identity, names: NAMES, assertion: 'a.b.c', forwarded: FORWARDED, sessionCookie: '__Host-passerelle', upgrade: false });
    expect(() => apply({ ...IDENTITY, identifier: 'hélène.lefevre' })).toThrow(/X-Passerelle-User/);
    expect(() => apply({ ...IDENTITY, legacyUsername: 'x\r\nX-Evil: 1' })).toThrow(/Legacy-User/);
    expect(() => apply({ ...IDENTITY, identifier: '' })).toThrow();
  });
});

describe('assertion', () => {
  let key: SigningKey;
  beforeAll(async () => {
    key = await loadOrCreateSigningKey(join(dir, 'keys'));
  });
  const options = { issuer: ISSUER, audience: 'opendrp' };

  it('signs an ES256 JWT that verifies against the JWKS', async () => {
    const clock = new ManualClock();
    const token = await signAssertion(key, { identity: IDENTITY, ...options, clock, ttlSeconds: 30 });
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', kid: key.kid, typ: 'JWT' });
    const claims = await verifyAssertion(token, { jwks: jwks([key]), ...options, clock });
    const iat = clock.now().getTime() / 1000;
    expect(claims).toMatchObject({
      iss: ISSUER,
      aud: 'opendrp',
      sub: 'usr_01',
      preferred_username: 'helene.lefevre',
      name: 'Hélène Lefèvre',
      email: 'helene.lefevre@example.org',
      amr: ['swk', 'pwd', 'mfa'],
      auth_method: 'personal-certificate',
      establishment: { id: '690000001', name: 'Clinique du Parc — Lyon' },
      legacy_username: 'hlefevre',
      cnf: { 'x5t#S256': EMPTY_SHA256_B64URL },
      iat,
      nbf: iat,
      exp: iat + 30,
    });
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('omits legacy_username when unset and maps CPS cards to hardware methods', async () => {
    const identity: Identity = { ...IDENTITY, authMethod: 'cps-card', legacyUsername: null, establishmentId: null, certificateSha256: EMPTY_SHA256_HEX.toUpperCase().replace(/(..)(?!$)/g, '$1:') };
    const token = await signAssertion(key, { identity, ...options, clock: new ManualClock(), ttlSeconds: 60, jti: 'fixed' });
    const claims = decodeJwt(token);
    expect(claims).not.toHaveProperty('legacy_username');
    expect(claims).toMatchObject({ amr: ['sc', 'hwk', 'pin', 'mfa'], establishment: null, jti: 'fixed', cnf: { 'x5t#S256': EMPTY_SHA256_B64URL } });
  });

  it('fails for another audience, once expired, with a bad signature or an unknown key', async () => {
    const clock = new ManualClock();
    const token = await signAssertion(key, { identity: IDENTITY, ...options, clock, ttlSeconds: 60 });
    const reasonFor = (candidate: string, over: Partial<Parameters<typeof verifyAssertion>[1]> = {}) =>
      verifyAssertion(candidate, { jwks: jwks([key]), ...options, clock, ...over }).then(() => 'ok', assertionFailureReason);

    expect(await reasonFor(token, { audience: 'labo' })).toBe('wrong_audience');
    expect(await reasonFor(token, { issuer: 'https://other.example' })).toBe('wrong_issuer');
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const tampered = `${header}.${payload}.${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(await reasonFor(tampered)).toBe('bad_signature');
    const other = await loadOrCreateSigningKey(join(dir, 'other-keys'));
    expect(await reasonFor(token, { jwks: jwks([other]) })).toBe('unknown_key');
    expect(await reasonFor('not-a-jwt')).toBe('malformed');

    clock.advance(59_000);
    expect(await reasonFor(token)).toBe('ok');
    clock.advance(1_000);
    expect(await reasonFor(token)).toBe('expired');
  });

  it('refuses a TTL above 60 seconds', async () => {
    await expect(signAssertion(key, { identity: IDENTITY, ...options, clock: new ManualClock(), ttlSeconds: 61 })).rejects.toThrow(RangeError);
  });
});

describe('signing key', () => {
  it('is created once (mode 0600) and reloaded with the same kid', async () => {
    const keyDir = join(dir, 'persist');
    const first = await loadOrCreateSigningKey(keyDir);
    const second = await loadOrCreateSigningKey(keyDir);
    expect(second.kid).toBe(first.kid);
    expect((await stat(signingKeyPath(keyDir))).mode & 0o777).toBe(0o600);
  });

  it('gives one key to replicas racing on the same directory', async () => {
    const keys = await Promise.all(Array.from({ length: 5 }, () => loadOrCreateSigningKey(join(dir, 'race'))));
    expect(new Set(keys.map((k) => k.kid)).size).toBe(1);
  });

  it('publishes only the public part in the JWKS', async () => {
    const key = await loadOrCreateSigningKey(join(dir, 'persist'));
    const set = jwks([key]);
    expect(set.keys).toHaveLength(1);
    expect(set.keys[0]).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String), use: 'sig', alg: 'ES256', kid: key.kid });
  });
});
