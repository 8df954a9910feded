import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deactivatePerson } from '../src/people/actions.ts';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import WebSocket from 'ws';
import { initPki, issueClientCertificate, generateKeyPair, exportPrivateKeyPem, withClock } from '../src/pki/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { APP_HOST, PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends, sessionBackends } from './helpers/backends.ts';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '..');

/** Runs the real CLI in another process against the same data directory / database. */
function cli(gw: TestGateway, args: string[]) {
  return run(process.execPath, [path.join(ROOT, 'bin/passerelle.js'), ...args], { env: { ...process.env, ...gw.env, PASSERELLE_PUBLIC_URL: gw.config.publicUrl }, cwd: ROOT });
}

interface Whoami {
  verified: boolean;
  claims: Record<string, unknown>;
  headers: Record<string, string>;
}

// One matrix: every storage backend × every session backend configured here (CI has them all).
const matrix = databaseBackends().flatMap((db) => sessionBackends().map((s) => ({ name: `${db.name} + ${s.name} sessions`, databaseUrl: db.url, redisUrl: s.url })));

describe.each(matrix)('gateway on $name', ({ databaseUrl, redisUrl }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl, redisUrl });
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('explanatory pages instead of TLS alerts', () => {
    it('no certificate → 496 page (and JSON for scripts)', async () => {
      const page = await gw.request({});
      expect(page.status).toBe(496);
      expect(errorCode(page.body)).toBe('no_certificate');
      expect(page.headers['content-security-policy']).toContain("default-src 'self'");
      const json = await gw.request({ headers: { accept: 'application/json' } });
      expect(json.status).toBe(496);
      expect(JSON.parse(json.body)).toEqual({ error: 'no_certificate' });
    });

    it('certificate from another CA → 495 untrusted_certificate', async () => {
      const clock = new ManualClock(Date.now());
      const foreign = await initPki({ dir: mkdtempSync(path.join(os.tmpdir(), 'foreign-')), passphrase: null, organization: 'Autre AC', country: 'FR', validityDays: gw.config.pki.validityDays, serverHosts: ['localhost'], clock });
      const keys = await generateKeyPair('ec-p256');
      const issued = await issueClientCertificate(foreign, { kind: 'personal', identifier: 'intrus.x', givenName: 'In', familyName: 'Trus', email: 'x@example.org' }, keys.publicKey);
      const page = await gw.request({ cert: { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: issued.serial, fingerprint: issued.fingerprintSha256 } });
      expect(page.status).toBe(495);
      expect(errorCode(page.body)).toBe('untrusted_certificate');
    });

    it('expired certificate → 495 certificate_expired', async () => {
      const user = await gw.user();
      const past = new ManualClock(Date.now() - 3 * 365 * 86_400_000);
      const keys = await generateKeyPair('ec-p256');
      const issued = await issueClientCertificate(withClock(gw.runtime.pki, past), { kind: 'personal', identifier: user.identifier, givenName: user.givenName, familyName: user.familyName, email: user.email }, keys.publicKey, { validityDays: 30 });
      const page = await gw.request({ cert: { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: issued.serial, fingerprint: issued.fingerprintSha256 } });
      expect(page.status).toBe(495);
      expect(errorCode(page.body)).toBe('certificate_expired');
    });

    it('a certificate of our CA that is not on record → 403 certificate_unknown', async () => {
      const keys = await generateKeyPair('ec-p256');
      const issued = await issueClientCertificate(gw.runtime.pki, { kind: 'personal', identifier: 'fantome.x', givenName: 'Fan', familyName: 'Tôme', email: 'f@example.org' }, keys.publicKey);
      const page = await gw.request({ cert: { certPem: issued.pem, keyPem: await exportPrivateKeyPem(keys.privateKey), serial: issued.serial, fingerprint: issued.fingerprintSha256 } });
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('certificate_unknown');
    });

    it('revoked certificate → 495 certificate_revoked', async () => {
      const holder = await gw.user();
      const cert = await gw.personalCertificate(holder);
      await gw.runtime.authority.revoke(cert.serial, 'keyCompromise', { name: 'test' });
      const page = await gw.request({ cert });
      expect(page.status).toBe(495);
      expect(errorCode(page.body)).toBe('certificate_revoked');
      // The holder is told, through the outbox.
      const mails = (await gw.runtime.storage.outbox.list()).filter((m) => m.recipient === holder.email && m.template === 'certificate.revoked');
      expect(mails).toHaveLength(1);
      expect(JSON.parse(mails[0]!.payload)).toMatchObject({ serial: cert.serial, reason: 'keyCompromise' });
    });

    it('deactivated and provisional accounts get their own page', async () => {
      const deactivated = await gw.user();
      const cert = await gw.personalCertificate(deactivated);
      await deactivatePerson(gw.runtime, deactivated.id, { name: 'test' });
      const page = await gw.request({ path: '/.passerelle/login', cert });
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('account_deactivated');

      const provisional = await gw.user({ password: null });
      const page2 = await gw.request({ path: '/.passerelle/login', cert: await gw.personalCertificate(provisional) });
      expect(errorCode(page2.body)).toBe('account_provisional');
    });

    it('unknown host → 404 unknown_application', async () => {
      const page = await gw.request({ host: 'inconnu.localhost', skipHostnameCheck: true });
      expect(page.status).toBe(404);
      expect(errorCode(page.body)).toBe('unknown_application');
    });

    it('no grant → 403 no_access after a correct login', async () => {
      const user = await gw.user({ grant: false });
      const cert = await gw.personalCertificate(user);
      const { cookies, response } = await signIn(gw, cert);
      expect(response.status).toBe(303);
      const page = await gw.request({ path: '/', cert, cookies });
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('no_access');
      expect(page.body).toContain('OpenDRP');
    });
  });

  describe('personal certificate', () => {
    let user: Awaited<ReturnType<TestGateway['user']>>;
    let cert: ClientCertificate;
    beforeAll(async () => {
      user = await gw.user();
      cert = await gw.personalCertificate(user);
    });

    it('redirects to a login form with the identifier prefilled and fixed', async () => {
      const first = await gw.request({ path: '/dossier?id=3', cert });
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/.passerelle/login?next=%2Fdossier%3Fid%3D3');
      const form = await gw.request({ path: first.headers.location!, cert });
      expect(form.status).toBe(200);
      expect(form.body).toMatch(new RegExp(`<input[^>]*value="${user.identifier}"[^>]*readonly|<input[^>]*readonly[^>]*value="${user.identifier}"`));
    });

    it('signs in and reaches the application with verifiable identity headers', async () => {
      const { cookies, response } = await signIn(gw, cert);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/api/whoami');
      expect(response.headers['set-cookie']?.join()).toMatch(/__Host-passerelle=.*Secure.*HttpOnly|HttpOnly.*Secure/i);
      const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect(who.status).toBe(200);
      const body = JSON.parse(who.body) as Whoami;
      expect(body.verified).toBe(true);
      expect(body.headers['x-passerelle-user']).toBe(user.identifier);
      expect(body.headers['x-passerelle-auth-method']).toBe('personal-certificate');
      expect(body.headers['x-passerelle-certificate-serial']).toBe(cert.serial);
      expect(body.headers['x-passerelle-certificate-sha256']).toBe(cert.fingerprint);
      expect(body.headers['x-forwarded-proto']).toBe('https');
      expect(body.headers['x-forwarded-host']).toBe(APP_HOST);
      expect(body.headers['x-forwarded-port']).toBe('443');
      expect(body.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(body.claims.name).toBe(`${user.givenName} ${user.familyName}`);
      // Non-ASCII travels only inside the JWT.
      for (const value of Object.values(body.headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);

      // The assertion verifies with jose against the JWKS served on the application host…
      const jwksResponse = await gw.request({ path: '/.well-known/passerelle/jwks.json', headers: { accept: 'application/json' } });
      const keySet = createLocalJWKSet(JSON.parse(jwksResponse.body) as JSONWebKeySet);
      const token = body.headers['x-passerelle-assertion']!;
      const { payload, protectedHeader } = await jwtVerify(token, keySet, { issuer: gw.config.publicUrl, audience: 'opendrp', algorithms: ['ES256'] });
      expect(protectedHeader.kid).toBe(gw.signingKey.kid);
      expect(payload.preferred_username).toBe(user.identifier);
      expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
      expect((payload.cnf as Record<string, string>)['x5t#S256']).toBe(Buffer.from(cert.fingerprint, 'hex').toString('base64url'));
      // … and fails for another audience.
      await expect(jwtVerify(token, keySet, { issuer: gw.config.publicUrl, audience: 'autre-application' })).rejects.toThrow(/aud/);
      // The public JWKS is the same.
      const publicJwks = await gw.request({ port: 'public', host: 'localhost', path: '/.well-known/jwks.json', headers: { accept: 'application/json' } });
      expect(JSON.parse(publicJwks.body)).toEqual(JSON.parse(jwksResponse.body));
    });

    it('never lets spoofed identity headers reach the application', async () => {
      const { cookies } = await signIn(gw, cert);
      const who = await gw.request({
        path: '/api/whoami',
        cert,
        cookies,
        headers: {
          accept: 'application/json',
          'X-Passerelle-User': 'admin',
          'X-PASSERELLE-LEGACY-USER': 'root',
          'x_passerelle_user': 'admin2',
          'X_Passerelle_Establishment': 'evil',
          'Client-Cert': ':Zm9v:',
          'X-SSL-Client-Verify': 'SUCCESS',
          'X-Forwarded-For': '6.6.6.6',
          'X-Demo-Unrelated': 'kept',
        },
      });
      const body = JSON.parse(who.body) as Whoami;
      expect(body.headers['x-passerelle-user']).toBe(user.identifier);
      expect(body.headers['x-passerelle-legacy-user']).toBeUndefined();
      expect(body.headers['x_passerelle_user']).toBeUndefined();
      expect(body.headers['x_passerelle_establishment']).toBeUndefined();
      expect(body.headers['client-cert']).toBeUndefined();
      expect(body.headers['x-ssl-client-verify']).toBeUndefined();
      expect(body.headers['x-forwarded-for']).toBe('127.0.0.1');
      expect(body.headers['x-demo-unrelated']).toBe('kept');
      expect(JSON.stringify(body.headers)).not.toMatch(/admin|evil|6\.6\.6\.6|root/);
    });

    it('streams request and response bodies', async () => {
      const { cookies } = await signIn(gw, cert);
      const payload = Buffer.alloc(3 * 1024 * 1024, 'passerelle-');
      const echo = await gw.request({ method: 'POST', path: '/api/echo', cert, cookies, body: payload, headers: { 'content-type': 'application/octet-stream', accept: 'application/json' } });
      expect(echo.status).toBe(200);
      expect(echo.body.length).toBe(payload.length);
      expect(echo.body).toBe(payload.toString());
    });

    it('proxies a WebSocket echo after the same checks', async () => {
      const { cookies } = await signIn(gw, cert);
      const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      const connect = (withCookie: boolean) =>
        new WebSocket(`wss://127.0.0.1:${gw.listeners.gatewayPort}/ws/echo`, { servername: APP_HOST, headers: { host: APP_HOST, ...(withCookie ? { cookie } : {}) }, ca: gw.runtime.pki.chainPem, cert: cert.certPem, key: cert.keyPem } as WebSocket.ClientOptions);
      const ws = connect(true);
      const reply = await new Promise<string>((resolve, reject) => {
        ws.on('open', () => ws.send('bonjour'));
        ws.on('message', (data: Buffer) => resolve(data.toString()));
        ws.on('error', reject);
      });
      ws.close();
      expect(reply).toBe('bonjour');
      const refused = connect(false);
      const status = await new Promise<number>((resolve) => {
        refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        refused.on('error', () => resolve(-1));
      });
      expect(status).toBe(401);
    });

    it('refuses the session cookie when presented with another certificate', async () => {
      const { cookies } = await signIn(gw, cert);
      const other = await gw.personalCertificate(await gw.user());
      const replay = await gw.request({ path: '/api/whoami', cert: other, cookies, headers: { accept: 'application/json' } });
      expect(replay.status).toBe(401);
      // And the same person's second workstation certificate does not share the session either.
      const second = await gw.personalCertificate(user);
      const replay2 = await gw.request({ path: '/api/whoami', cert: second, cookies, headers: { accept: 'application/json' } });
      expect(replay2.status).toBe(401);
      const audit = await gw.runtime.storage.audit.list({ action: 'gateway.session' });
      expect(audit.some((e) => e.reason === 'certificate_mismatch')).toBe(true);
    });

    it('expires an idle session after 45 minutes (injected clock), not before', async () => {
      const { cookies } = await signIn(gw, cert);
      gw.clock.advance(44 * 60_000);
      const alive = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect(alive.status).toBe(200);
      gw.clock.advance(45 * 60_000 + 1000);
      const expired = await gw.request({ path: '/api/whoami', cert, cookies });
      expect(expired.status).toBe(303);
      expect(expired.headers.location).toContain('expired=1');
      gw.clock.set(new Date());
    });

    it('logs out with a POST carrying the CSRF token', async () => {
      const { cookies } = await signIn(gw, cert);
      const confirm = await gw.request({ path: '/.passerelle/logout', cert, cookies });
      const out = await gw.request({ method: 'POST', path: '/.passerelle/logout', cert, cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `csrf=${encodeURIComponent(csrfOf(confirm.body))}` });
      expect(out.status).toBe(200);
      const after = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
      expect(after.status).toBe(401);
    });

    it('refuses a revoked certificate inside a live session, revoked by the CLI in another process', async () => {
      const victim = await gw.user();
      const victimCert = await gw.personalCertificate(victim);
      const { cookies } = await signIn(gw, victimCert);
      expect((await gw.request({ path: '/api/whoami', cert: victimCert, cookies, headers: { accept: 'application/json' } })).status).toBe(200);
      const { stdout } = await cli(gw, ['--json', 'cert', 'revoke', victimCert.serial, '--reason', 'keyCompromise']);
      expect(JSON.parse(stdout)).toMatchObject({ serial: victimCert.serial, status: 'revoked', reason: 'keyCompromise' });
      const after = await gw.request({ path: '/api/whoami', cert: victimCert, cookies });
      expect(after.status).toBe(495);
      expect(errorCode(after.body)).toBe('certificate_revoked');
      // The CRL served on the public listener lists it.
      const crl = await gw.request({ port: 'public', host: 'localhost', path: '/crl/passerelle.crl' });
      expect(crl.status).toBe(200);
      expect(crl.headers['content-type']).toContain('application/pkix-crl');
    });

    it('applies a withdrawn grant at once', async () => {
      const u = await gw.user();
      const c = await gw.personalCertificate(u);
      const { cookies } = await signIn(gw, c);
      await gw.runtime.accounts.revokeGrant(u.id, 'opendrp', { name: 'test' });
      const page = await gw.request({ path: '/', cert: c, cookies });
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('no_access');
    });
  });

  describe('lockout', () => {
    it('locks the account at the 5th wrong password and says whom to contact', async () => {
      const user = await gw.user();
      const cert = await gw.personalCertificate(user);
      for (let i = 1; i <= 4; i += 1) {
        const { response } = await signIn(gw, cert, 'wrong password!');
        expect(response.status).toBe(401);
        expect(response.body).toContain(String(5 - i));
      }
      const { response } = await signIn(gw, cert, 'wrong password!');
      expect(response.status).toBe(403);
      expect(errorCode(response.body)).toBe('account_locked');
      const page = await gw.request({ path: '/.passerelle/login', cert });
      expect(errorCode(page.body)).toBe('account_locked');
      expect(page.body).toContain('coordination');
      expect((await gw.runtime.storage.users.findById(user.id))?.status).toBe('locked');
      // Even the right password no longer opens it (the form is not even offered).
      await expect(signIn(gw, cert, PASSWORD)).rejects.toThrow(/login form: 403 account_locked/);
      const events = await gw.runtime.storage.audit.list({ action: 'user.lockout' });
      expect(events.some((e) => e.subject === user.identifier)).toBe(true);
      // The cell unlocks: a new provisional password.
      const { stdout } = await cli(gw, ['--json', 'user', 'unlock', user.identifier]);
      expect(JSON.parse(stdout)).toMatchObject({ identifier: user.identifier, status: 'provisional' });
    });
  });

  describe('collective certificate', () => {
    it('asks for identifier and password and admits members of the establishment only', async () => {
      const establishment = await gw.establishment('Clinique du Parc');
      const member = await gw.user({ establishmentId: establishment.id });
      const outsider = await gw.user();
      const cert = await gw.collectiveCertificate(establishment, 'Poste infirmier 2');

      const form = await gw.request({ path: '/.passerelle/login', cert });
      expect(form.status).toBe(200);
      expect(form.body).not.toMatch(/readonly/);
      expect(form.body).toContain('Clinique du Parc');

      // Someone of another establishment, right password: answered like an unknown identifier (issue 9, defect 4).
      const wrong = await signIn(gw, cert, PASSWORD, outsider.identifier);
      expect(wrong.response.status).toBe(401);
      expect(errorCode(wrong.response.body)).toBeNull();

      const { cookies, response } = await signIn(gw, cert, PASSWORD, member.identifier.toUpperCase());
      expect(response.status).toBe(303);
      const who = JSON.parse((await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } })).body) as Whoami;
      expect(who.headers['x-passerelle-user']).toBe(member.identifier);
      expect(who.headers['x-passerelle-auth-method']).toBe('collective-certificate');
      expect(who.headers['x-passerelle-establishment']).toBe(establishment.id);
      expect(who.claims.establishment).toEqual({ id: establishment.id, name: 'Clinique du Parc' });
    });

    it('an unknown identifier is a plain wrong-credentials answer', async () => {
      const establishment = await gw.establishment();
      const cert = await gw.collectiveCertificate(establishment);
      const { response } = await signIn(gw, cert, PASSWORD, 'personne.inconnue');
      expect(response.status).toBe(401);
      expect(errorCode(response.body)).toBeNull();
    });
  });

  it('writes every decision to the audit trail, readable with `passerelle audit`', async () => {
    const { stdout } = await cli(gw, ['--json', 'audit', '--action', 'gateway.login', '--limit', '500']);
    const events = JSON.parse(stdout) as Array<{ outcome: string; reason: string | null; ip: string | null; certificateSerial: string | null; applicationId: string | null }>;
    expect(events.some((e) => e.outcome === 'success')).toBe(true);
    expect(events.some((e) => e.reason === 'wrong_password')).toBe(true);
    for (const e of events) {
      expect(e.ip).toBe('127.0.0.1');
      expect(e.certificateSerial).toMatch(/^[0-9a-f]+$/);
      expect(e.applicationId).toBe('opendrp');
    }
    expect(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).toContain('passerelle');
  });
});

describe('upstream down', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ upstreamDown: true });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('answers a clear 502 page, and 502 JSON to scripts', async () => {
    const cert = await gw.personalCertificate(await gw.user());
    const { cookies } = await signIn(gw, cert);
    const page = await gw.request({ path: '/', cert, cookies });
    expect(page.status).toBe(502);
    expect(page.body).toContain('OpenDRP');
    const json = await gw.request({ path: '/api/x', cert, cookies, headers: { accept: 'application/json' } });
    expect(json.status).toBe(502);
    expect(JSON.parse(json.body)).toEqual({ error: 'upstream_unavailable' });
  });
});
