/**
 * CPS cards (issue 5 §4) over real TLS: a test PKI shaped like IGC-Santé, generated here, is
 * configured as external trust anchors; cards are mapped to accounts by their national
 * identifier, open passwordless applications directly, and prefill the registration form.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PASSWORD, csrfOf, errorCode, signIn, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';
import { databaseBackends } from './helpers/backends.ts';
import { createIgcSante, type IgcSante, type TestCard } from './helpers/igc-sante.ts';
import { ConfigError, loadConfig } from '../src/config/index.ts';
import { CpsTrust, cpsTrustFor, nationalIdFrom, openPrefill, parseNationalId, prefillKey, sealPrefill } from '../src/cps/index.ts';
import { ManualClock } from '../src/shared/clock.ts';
import { serverHosts } from '../src/app/runtime.ts';
import { logger } from '../src/shared/logger.ts';
import type { User } from '../src/model/index.ts';

const REGISTRATION_HOST = 'inscription.localhost';
const DAY = 86_400_000;

interface Whoami {
  verified: boolean;
  claims: Record<string, unknown>;
  headers: Record<string, string>;
}

// The CRL tests make the CPS code log on purpose.
beforeAll(() => logger.silence(true));

describe('national identifiers on IGC-Santé subjects', () => {
  it('reads 8+RPPS and 0+ADELI, nothing else', () => {
    expect(parseNationalId('810101010101')).toEqual({ value: '810101010101', kind: 'rpps', number: '10101010101' });
    expect(parseNationalId('0751234567')).toEqual({ value: '0751234567', kind: 'adeli', number: '751234567' });
    for (const bad of ['10101010101', '81010101010', '8101010101012', '3123456789', '075123456', '8abcdefghijk', '']) expect(parseNationalId(bad)).toBeNull();
  });

  it('takes the serialNumber attribute or the CN prefix, and refuses two that disagree', () => {
    expect(nationalIdFrom(['810101010101'], ['Hélène Lefèvre'])?.value).toBe('810101010101');
    expect(nationalIdFrom([], ['810101010101/Hélène Lefèvre'])?.value).toBe('810101010101');
    expect(nationalIdFrom(['810101010101'], ['810101010101/Hélène Lefèvre'])?.value).toBe('810101010101');
    expect(nationalIdFrom(['810101010101'], ['899999999999/Quelqu’un d’autre'])).toBeNull();
    expect(nationalIdFrom(['not-an-id'], ['Hélène Lefèvre'])).toBeNull();
  });
});

describe('CPS configuration', () => {
  it('refuses a registration host that is already an application or the console', () => {
    const attempt = (registrationHost: string) => () => loadConfig({ env: {}, overrides: { cps: { enabled: true, registrationHost } } });
    expect(attempt('opendrp.localhost')).toThrow(/applications\.0\.host: "opendrp\.localhost" is the CPS registration host/);
    expect(attempt('console.localhost')).toThrow(/cps\.registrationHost: "console\.localhost" is the console host/);
    expect(attempt('inscription.localhost')).not.toThrow();
  });

  it('passwordlessCps defaults to false; bad cps keys are reported with their path', () => {
    expect(loadConfig({ env: {} }).applications[0]!.passwordlessCps).toBe(false);
    expect(loadConfig({ env: {} }).cps).toMatchObject({ enabled: false, anchors: [], crlFiles: [], registrationHost: 'inscription.localhost' });
    try {
      loadConfig({ env: {}, overrides: { cps: { enabled: 'yes', anchors: 'x.pem', surprise: 1 } } });
      expect.unreachable();
    } catch (error) {
      const text = (error as ConfigError).problems.join('\n');
      for (const fragment of ['cps.enabled', 'cps.anchors', 'cps: Unrecognized key']) expect(text).toContain(fragment);
    }
  });

  it('stops the start on an anchor that is not a CA or a CRL not signed by an anchor', async () => {
    const igc = await createIgcSante();
    const card = await igc.card({ nationalId: '810101010101', givenName: 'A', familyName: 'B' });
    await expect(CpsTrust.open({ anchors: [card.certPem], crlFiles: [] })).rejects.toThrow(/is not a CA certificate/);
    await expect(CpsTrust.open({ anchors: ['/nonexistent/anchors.pem'], crlFiles: [] })).rejects.toThrow(/cannot read/);
    const other = await createIgcSante(new Date(), 'AUTRE');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cps-crl-'));
    writeFileSync(path.join(dir, 'other.crl'), await other.crl([]));
    await expect(CpsTrust.open({ anchors: [igc.anchorsPem], crlFiles: [path.join(dir, 'other.crl')] })).rejects.toThrow(/not among cps\.anchors/);
    rmSync(dir, { recursive: true, force: true });
  });

  it('re-reads a CRL file when it changes (atomic replace), keeping the old one when the new one is bad', async () => {
    const igc = await createIgcSante();
    const card = await igc.card({ nationalId: '810101010101', givenName: 'A', familyName: 'B' });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cps-crl-'));
    const file = path.join(dir, 'issuer.crl');
    writeFileSync(file, await igc.crl([]));
    const trust = await CpsTrust.open({ anchors: [igc.anchorsPem], crlFiles: [file] }, { crlWatchIntervalMs: 20 });
    try {
      const der = new Uint8Array(Buffer.from(card.certPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
      const recognised = (await trust.recognise(der, card.fingerprint))!;
      expect(recognised.nationalId?.value).toBe('810101010101');
      expect(trust.revocation(recognised, Date.now())).toBe('good');

      writeFileSync(`${file}.tmp`, await igc.crl([card.serial], { thisUpdate: new Date(Date.now() - 60_000) }));
      renameSync(`${file}.tmp`, file);
      await vi.waitFor(() => expect(trust.revocation(recognised, Date.now())).toBe('revoked'), { timeout: 5_000, interval: 20 });

      writeFileSync(file, 'not a CRL');
      expect(await trust.reloadCrls()).toEqual([file]);
      expect(trust.revocation(recognised, Date.now())).toBe('revoked');
    } finally {
      trust.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each(databaseBackends())('CPS cards on the gateway ($name)', ({ url }) => {
  let gw: TestGateway;
  let igc: IgcSante;
  let dir: string;
  let crlFile: string;
  const opendrp = () => gw.config.applications.find((a) => a.id === 'opendrp')!;

  beforeAll(async () => {
    igc = await createIgcSante();
    dir = mkdtempSync(path.join(os.tmpdir(), 'cps-'));
    writeFileSync(path.join(dir, 'igc-sante.pem'), igc.anchorsPem);
    crlFile = path.join(dir, 'elementaire-personnes.crl');
    writeFileSync(crlFile, await igc.crl([]));
    gw = await startTestGateway({
      databaseUrl: url,
      overrides: {
        pki: { serverHosts: ['localhost', REGISTRATION_HOST] },
        cps: { enabled: true, anchors: [path.join(dir, 'igc-sante.pem')], crlFiles: [crlFile], registrationHost: REGISTRATION_HOST },
      },
    });
  });
  afterAll(async () => {
    await gw?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let sequence = 0;
  /** An account whose RPPS/ADELI is `number`, granted OpenDRP unless told otherwise. */
  async function holder(number: string, o: { grant?: boolean } = {}): Promise<User> {
    sequence += 1;
    const { user } = await gw.runtime.accounts.createUser(
      { givenName: 'Hélène', familyName: `Lefèvre${sequence}`, email: `cps${sequence}@example.org`, password: PASSWORD, rpps: number },
      { name: 'test', ip: null },
    );
    if (o.grant !== false) await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'test', ip: null });
    return user;
  }

  /** A fresh RPPS per test: 8 + 11 digits. */
  function rpps(): string {
    sequence += 1;
    return `1${String(Date.now() % 1e7).padStart(7, '0')}${String(sequence).padStart(3, '0')}`;
  }

  async function whoami(cert: ClientCertificate, cookies: Map<string, string>): Promise<Whoami> {
    const who = await gw.request({ path: '/api/whoami', cert, cookies, headers: { accept: 'application/json' } });
    expect(who.status).toBe(200);
    return JSON.parse(who.body) as Whoami;
  }

  describe('card mapped to an account, application with a password', () => {
    let user: User;
    let card: TestCard;
    beforeAll(async () => {
      const number = rpps();
      user = await holder(number);
      card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
    });

    it('shows the login form with the identifier prefilled and fixed', async () => {
      const first = await gw.request({ path: '/dossier', cert: card });
      expect(first.status).toBe(303);
      expect(first.headers.location).toBe('/.passerelle/login?next=%2Fdossier');
      const form = await gw.request({ path: first.headers.location!, cert: card });
      expect(form.status).toBe(200);
      expect(form.body).toMatch(new RegExp(`<input[^>]*value="${user.identifier}"[^>]*readonly|<input[^>]*readonly[^>]*value="${user.identifier}"`));
      expect(form.body).toMatch(/name="password"/);
    });

    it('still requires the password: a wrong one is refused and counted', async () => {
      const { response } = await signIn(gw, card, 'not the password at all');
      expect(response.status).toBe(401);
      expect((await gw.runtime.storage.users.findById(user.id))!.failedLogins).toBe(1);
      const [event] = await gw.runtime.storage.audit.list({ action: 'gateway.login', subject: user.identifier });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'wrong_password', certificateSerial: card.serial, details: { certificateKind: 'cps' } });
    });

    it('with the password, reaches the application as cps-card, bound to the card', async () => {
      const { cookies, response } = await signIn(gw, card);
      expect(response.status).toBe(303);
      const body = await whoami(card, cookies);
      expect(body.verified).toBe(true);
      expect(body.headers['x-passerelle-user']).toBe(user.identifier);
      expect(body.headers['x-passerelle-auth-method']).toBe('cps-card');
      expect(body.headers['x-passerelle-certificate-serial']).toBe(card.serial);
      expect(body.headers['x-passerelle-certificate-sha256']).toBe(card.fingerprint);
      expect(body.claims).toMatchObject({ preferred_username: user.identifier, auth_method: 'cps-card', amr: ['sc', 'hwk', 'pin', 'mfa'] });
      expect((await gw.runtime.storage.users.findById(user.id))!.failedLogins).toBe(0);

      // The session is bound to the card: the person's own platform certificate does not carry it.
      const personal = await gw.personalCertificate(user);
      const other = await gw.request({ path: '/api/whoami', cert: personal, cookies, headers: { accept: 'application/json' } });
      expect(other.status).toBe(401);
    });

    it('renewal is for platform certificates: a card is told so', async () => {
      const { cookies } = await signIn(gw, card);
      const page = await gw.request({ path: '/.passerelle/renouveler', cert: card, cookies });
      expect(page.status).toBe(403);
    });
  });

  it('reads the identifier from the CN prefix alone (ADELI) and from serialNumber alone (RPPS)', async () => {
    const adeli = `7${String(Date.now() % 1e8).padStart(8, '0')}`;
    const adeliUser = await holder(adeli);
    const cnOnly = await igc.card({ nationalId: `0${adeli}`, givenName: 'Hélène', familyName: 'Lefèvre', placement: 'cn' });
    const form = await gw.request({ path: '/.passerelle/login', cert: cnOnly });
    expect(form.status).toBe(200);
    expect(form.body).toContain(`value="${adeliUser.identifier}"`);

    const number = rpps();
    const rppsUser = await holder(number);
    const serialOnly = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre', placement: 'serialNumber' });
    const form2 = await gw.request({ path: '/.passerelle/login', cert: serialOnly });
    expect(form2.status).toBe(200);
    expect(form2.body).toContain(`value="${rppsUser.identifier}"`);
  });

  describe('application with passwordlessCps', () => {
    beforeAll(() => {
      // The login route reads the application's config on each request: switch OpenDRP over.
      opendrp().passwordlessCps = true;
    });
    afterAll(() => {
      opendrp().passwordlessCps = false;
    });

    it('opens straight in with the card, audited as gateway.login cps-card', async () => {
      const number = rpps();
      const user = await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const cookies = new Map<string, string>();
      const first = await gw.request({ path: '/api/whoami', cert: card, cookies });
      expect(first.status).toBe(303);
      const login = await gw.request({ path: first.headers.location!, cert: card, cookies });
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/api/whoami');
      expect(login.body).not.toMatch(/name="password"/);
      const body = await whoami(card, cookies);
      expect(body.headers['x-passerelle-user']).toBe(user.identifier);
      expect(body.headers['x-passerelle-auth-method']).toBe('cps-card');
      expect(body.claims.amr).toEqual(['sc', 'hwk', 'pin', 'mfa']);
      const [event] = await gw.runtime.storage.audit.list({ action: 'gateway.login', subject: user.identifier });
      expect(event).toMatchObject({ outcome: 'success', actor: user.identifier, certificateSerial: card.serial, applicationId: 'opendrp', details: { method: 'cps-card', nationalId: `8${number}` } });
      expect((await gw.runtime.storage.users.findById(user.id))!.lastLoginAt).not.toBeNull();
    });

    it('a platform certificate still needs the password there', async () => {
      const user = await holder(rpps());
      const cert = await gw.personalCertificate(user);
      const form = await gw.request({ path: '/.passerelle/login', cert });
      expect(form.status).toBe(200);
      expect(form.body).toMatch(/name="password"/);
    });

    it('a locked account is refused, and the grant is still required', async () => {
      const lockedNumber = rpps();
      const locked = await holder(lockedNumber);
      await gw.runtime.storage.users.setStatus(locked.id, 'locked', Date.now());
      const lockedCard = await igc.card({ nationalId: `8${lockedNumber}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const denied = await gw.request({ path: '/.passerelle/login', cert: lockedCard });
      expect(denied.status).toBe(403);
      expect(errorCode(denied.body)).toBe('account_locked');

      const number = rpps();
      await holder(number, { grant: false });
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const cookies = new Map<string, string>();
      const login = await gw.request({ path: '/.passerelle/login?next=/api/whoami', cert: card, cookies });
      expect(login.status).toBe(303);
      const app = await gw.request({ path: '/api/whoami', cert: card, cookies });
      expect(app.status).toBe(403);
      expect(errorCode(app.body)).toBe('no_access');
    });
  });

  describe('refusals', () => {
    it('unknown national identifier → certificate_unknown page, audited', async () => {
      const card = await igc.card({ nationalId: `8${rpps()}`, givenName: 'Inconnu', familyName: 'Dupont' });
      const page = await gw.request({ path: '/', cert: card });
      expect(page.status).toBe(403);
      expect(errorCode(page.body)).toBe('certificate_unknown');
      const [event] = await gw.runtime.storage.audit.list({ action: 'gateway.certificate' });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'certificate_unknown', certificateSerial: card.serial });
    });

    it('two live accounts with the same RPPS → nobody (the cell decides)', async () => {
      const number = rpps();
      await holder(number);
      await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const page = await gw.request({ path: '/.passerelle/login', cert: card });
      expect(errorCode(page.body)).toBe('certificate_unknown');
    });

    it('a card without a national identifier → certificate_unknown', async () => {
      const none = await igc.card({ nationalId: 'ABC', givenName: 'Hélène', familyName: 'Lefèvre' });
      expect(errorCode((await gw.request({ path: '/', cert: none })).body)).toBe('certificate_unknown');
    });

    it('a card from a CA that is not configured → untrusted_certificate', async () => {
      const foreign = await createIgcSante(new Date(), 'AUTRE-SANTE');
      const number = rpps();
      await holder(number);
      const card = await foreign.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const page = await gw.request({ path: '/', cert: card });
      expect(page.status).toBe(495);
      expect(errorCode(page.body)).toBe('untrusted_certificate');
    });

    it('an expired card (by the gateway clock) → certificate_expired', async () => {
      const number = rpps();
      await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre', notAfter: new Date(Date.now() + DAY) });
      expect((await gw.request({ path: '/.passerelle/login', cert: card })).status).toBe(200);
      gw.clock.advance(2 * DAY);
      try {
        const page = await gw.request({ path: '/.passerelle/login', cert: card });
        expect(page.status).toBe(495);
        expect(errorCode(page.body)).toBe('certificate_expired');
      } finally {
        gw.clock.advance(-2 * DAY);
      }
    });

    it('a card listed on the CRL → certificate_revoked; a CRL past nextUpdate refuses every card of that CA', async () => {
      const number = rpps();
      await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      expect((await gw.request({ path: '/.passerelle/login', cert: card })).status).toBe(200);
      writeFileSync(crlFile, await igc.crl([card.serial], { thisUpdate: new Date(Date.now() - 60_000) }));
      expect(await cpsTrustFor(gw.runtime.storage)!.reloadCrls()).toEqual([]);
      const revoked = await gw.request({ path: '/.passerelle/login', cert: card });
      expect(revoked.status).toBe(495);
      expect(errorCode(revoked.body)).toBe('certificate_revoked');

      const other = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      expect((await gw.request({ path: '/.passerelle/login', cert: other })).status).toBe(200);
      gw.clock.advance(8 * DAY);
      try {
        const stale = await gw.request({ path: '/.passerelle/login', cert: other });
        expect(errorCode(stale.body)).toBe('untrusted_certificate');
      } finally {
        gw.clock.advance(-8 * DAY);
      }
    });

    it('a certificate of our own CA is never taken for a card', async () => {
      const user = await holder(rpps());
      const cert = await gw.personalCertificate(user);
      const der = new Uint8Array(Buffer.from(cert.certPem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
      expect(await cpsTrustFor(gw.runtime.storage)!.recognise(der, cert.fingerprint)).toBeNull();
    });
  });

  describe('registration prefilled from a CPS card', () => {
    async function readCard(cert: ClientCertificate | null): Promise<URL> {
      const response = await gw.request({ host: REGISTRATION_HOST, path: '/', cert });
      expect(response.status).toBe(303);
      expect(response.headers['cache-control']).toBe('no-store');
      return new URL(response.headers.location!);
    }

    it('the registration host reads the card and the public form comes back prefilled', async () => {
      const card = await igc.card({ nationalId: '810101010101', givenName: 'Hélène', familyName: 'Lefèvre' });
      const location = await readCard(card);
      expect(location.origin).toBe(new URL(gw.config.publicUrl).origin);
      expect(location.pathname).toBe('/inscription');
      // Encrypted: neither the name nor the RPPS appears in the URL.
      expect(location.search).not.toMatch(/10101010101|L%C3%A9f|Lef/);
      const form = await gw.request({ port: 'public', host: 'localhost', path: `${location.pathname}${location.search}` });
      expect(form.status).toBe(200);
      expect(form.body).toMatch(/name="givenName"[^>]*value="Hélène"|value="Hélène"[^>]*name="givenName"/);
      expect(form.body).toMatch(/name="familyName"[^>]*value="Lefèvre"|value="Lefèvre"[^>]*name="familyName"/);
      expect(form.body).toMatch(/name="rpps"[^>]*value="10101010101"|value="10101010101"[^>]*name="rpps"/);
      const [event] = await gw.runtime.storage.audit.list({ action: 'registration.cps_read' });
      expect(event).toMatchObject({ outcome: 'success', certificateSerial: card.serial, details: { nationalId: '810101010101' } });

      // The prefilled form submits like a typed one.
      const cookies = new Map<string, string>();
      const page = await gw.request({ port: 'public', host: 'localhost', path: `${location.pathname}${location.search}`, cookies });
      const body = new URLSearchParams({ csrf: csrfOf(page.body), givenName: 'Hélène', familyName: 'Lefèvre', email: 'helene.cps@example.org', rpps: '10101010101', establishment: 'autre', establishmentName: 'Cabinet du port', application: 'opendrp', reason: 'Suivi de réhabilitation respiratoire' });
      const submitted = await gw.request({ port: 'public', host: 'localhost', method: 'POST', path: '/inscription', cookies, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: body.toString() });
      expect(submitted.status).toBe(303);
      expect(submitted.headers.location).toBe('/inscription/envoyee');
      const stored = await gw.runtime.storage.db.get<{ rpps: string }>('SELECT rpps FROM registrations WHERE email = ?', ['helene.cps@example.org']);
      expect(stored?.rpps).toBe('10101010101');
    });

    it('GN/SN attributes win over the CN for the names; ADELI fills the same field', async () => {
      // From the CN alone, "Marie Claire Dupont" would split as Marie / Claire Dupont.
      const card = await igc.card({ nationalId: '0751234567', givenName: 'Marie Claire', familyName: 'Dupont', placement: 'cn', nameAttributes: true });
      const location = await readCard(card);
      const form = await gw.request({ port: 'public', host: 'localhost', path: `${location.pathname}${location.search}` });
      expect(form.body).toMatch(/name="givenName"[^>]*value="Marie Claire"|value="Marie Claire"[^>]*name="givenName"/);
      expect(form.body).toMatch(/name="familyName"[^>]*value="Dupont"|value="Dupont"[^>]*name="familyName"/);
      expect(form.body).toContain('value="751234567"');

      const cnOnly = await igc.card({ nationalId: '0751234567', givenName: 'Marie Claire', familyName: 'Dupont', placement: 'cn' });
      const fromCn = await readCard(cnOnly);
      const form2 = await gw.request({ port: 'public', host: 'localhost', path: `${fromCn.pathname}${fromCn.search}` });
      expect(form2.body).toMatch(/name="familyName"[^>]*value="Claire Dupont"|value="Claire Dupont"[^>]*name="familyName"/);
    });

    it('no card, a foreign card or a platform certificate: the plain form, with the reason', async () => {
      expect((await readCard(null)).searchParams.get('carte')).toBe('absente');
      const foreign = await (await createIgcSante(new Date(), 'AUTRE-SANTE')).card({ nationalId: '810101010101', givenName: 'A', familyName: 'B' });
      expect((await readCard(foreign)).searchParams.get('carte')).toBe('non-reconnue');
      const ours = await gw.personalCertificate(await holder(rpps()));
      const location = await readCard(ours);
      expect(location.searchParams.get('carte')).toBe('non-cps');
      expect(location.searchParams.has('cps')).toBe(false);
      const [event] = await gw.runtime.storage.audit.list({ action: 'registration.cps_read' });
      expect(event).toMatchObject({ outcome: 'failure', reason: 'non-cps' });
    });

    it('only GET: the registration host has nothing to post to', async () => {
      const response = await gw.request({ host: REGISTRATION_HOST, path: '/', method: 'POST', body: 'x=1' });
      expect(response.status).toBe(405);
    });

    it('an expired, forged or foreign-key token prefills nothing', async () => {
      const clock = new ManualClock(gw.clock.now());
      const key = prefillKey('a session secret that is long enough to use');
      const token = await sealPrefill({ givenName: 'Hélène', familyName: 'Lefèvre', rpps: '10101010101' }, key, clock, 600);
      expect(await openPrefill(token, key, clock)).toEqual({ givenName: 'Hélène', familyName: 'Lefèvre', rpps: '10101010101' });
      expect(await openPrefill(token, prefillKey('another session secret, just as long as that'), clock)).toBeNull();
      expect(await openPrefill(`${token.slice(0, -4)}AAAA`, key, clock)).toBeNull();
      clock.advance(601_000);
      expect(await openPrefill(token, key, clock)).toBeNull();

      // Through the gateway: the same token is worthless once the gateway clock passes its expiry.
      const card = await igc.card({ nationalId: '810101010101', givenName: 'Hélène', familyName: 'Lefèvre' });
      const location = await readCard(card);
      gw.clock.advance((gw.config.cps.prefillTtlSeconds + 1) * 1000);
      try {
        const form = await gw.request({ port: 'public', host: 'localhost', path: `${location.pathname}${location.search}` });
        expect(form.status).toBe(200);
        expect(form.body).not.toContain('value="Hélène"');
        expect(form.body).not.toContain('value="10101010101"');
      } finally {
        gw.clock.advance(-(gw.config.cps.prefillTtlSeconds + 1) * 1000);
      }
    });
  });
  describe('what the pages say', () => {
    it('an unknown card: the national identifier and how to register or get the RPPS on the account', async () => {
      const card = await igc.card({ nationalId: `8${rpps()}`, givenName: 'Inconnu', familyName: 'Dupont' });
      const page = await gw.request({ path: '/', cert: card });
      expect(errorCode(page.body)).toBe('certificate_unknown');
      expect(page.body).toContain('data-cps-hint="unknown_holder"');
      expect(page.body).toContain(card.nationalId);
      expect(page.body).toContain(`href="${gw.config.publicUrl}/inscription"`);
      const [event] = await gw.runtime.storage.audit.list({ action: 'gateway.certificate' });
      expect(event?.details).toMatchObject({ cps: { nationalId: card.nationalId, problem: 'unknown_holder' } });
    });

    it('two accounts with the card\'s number, and a stale CRL, each have their own hint', async () => {
      const number = rpps();
      await holder(number);
      await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      expect((await gw.request({ path: '/', cert: card })).body).toContain('data-cps-hint="ambiguous_holder"');
      gw.clock.advance(30 * DAY);
      try {
        expect((await gw.request({ path: '/', cert: card })).body).toContain('data-cps-hint="crl_stale"');
      } finally {
        gw.clock.advance(-30 * DAY);
      }
    });

    it('the login form says the CPS card identifies the person', async () => {
      const number = rpps();
      await holder(number);
      const card = await igc.card({ nationalId: `8${number}`, givenName: 'Hélène', familyName: 'Lefèvre' });
      const form = await gw.request({ path: '/.passerelle/login', cert: card });
      expect(form.body).toContain('Votre carte CPS vous identifie comme');
    });

    it('the registration form offers to read the card and says what the read gave', async () => {
      const plain = await gw.request({ port: 'public', host: 'localhost', path: '/inscription' });
      expect(plain.body).toContain(`href="https://${REGISTRATION_HOST}:${gw.config.listeners.gateway.port}/"`);
      const failed = await gw.request({ port: 'public', host: 'localhost', path: '/inscription?carte=non-cps' });
      expect(failed.body).toContain('data-cps-outcome="non-cps"');
      const ignored = await gw.request({ port: 'public', host: 'localhost', path: '/inscription?carte=%3Cscript%3E' });
      expect(ignored.body).not.toContain('data-cps-outcome');
      const card = await igc.card({ nationalId: '810101010101', givenName: 'Hélène', familyName: 'Lefèvre' });
      const location = new URL((await gw.request({ host: REGISTRATION_HOST, path: '/', cert: card })).headers.location!);
      const prefilled = await gw.request({ port: 'public', host: 'localhost', path: `${location.pathname}${location.search}` });
      expect(prefilled.body).toContain('ont été repris de votre carte CPS');
    });

    it('the server certificate covers the registration host', () => {
      // This gateway lists the host in pki.serverHosts itself; without that, enabling CPS adds it.
      const config = { ...gw.config, pki: { ...gw.config.pki, serverHosts: ['localhost'] } };
      expect(serverHosts(config)).toContain(REGISTRATION_HOST);
      expect(serverHosts({ ...config, cps: { ...config.cps, enabled: false } })).not.toContain(REGISTRATION_HOST);
    });
  });
});
