/**
 * Renewal (journey 12): the 60-day notice through the outbox, and renewal on the gateway by presenting
 * the current certificate — in a real Chromium holding that certificate (Playwright clientCertificates),
 * with the page's script making the new key and .p12. The old certificate stays valid until the new one
 * is presented on the gateway (then revoked as superseded).
 */
import { chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { sendRenewalNotices } from '../src/enrollment/renewal.ts';
import { startRenewalNotices } from '../src/enrollment/renewal-schedule.ts';
import { readCsr } from '../src/enrollment/withdrawal-csr.ts';
import { databaseBackends } from './helpers/backends.ts';
import { APP_HOST, PASSWORD, signIn, startTestGateway, type ClientCertificate, type Response, type TestGateway } from './helpers/gateway.ts';

const CHROMIUM_ARGS = chromiumArgs();
const DAY = 86_400_000;
const P12_PASSWORD = 'Renouvele-2026';

const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-renewal-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let counter = 0;
function opensslCsr(): string {
  counter += 1;
  const csrFile = path.join(work, `csr-${counter}.pem`);
  execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(work, `key-${counter}.pem`), '-subj', '/CN=Someone Else', '-out', csrFile], { stdio: 'pipe' });
  return execFileSync('cat', [csrFile], { encoding: 'utf8' });
}
/** A CSR and its private key (PEM), to present the renewed certificate afterwards. */
function opensslCsrWithKey(): { csr: string; keyPem: string } {
  const csr = opensslCsr();
  return { csr, keyPem: execFileSync('cat', [path.join(work, `key-${counter}.pem`)], { encoding: 'utf8' }) };
}

describe.each(databaseBackends())('renewal notices on $name', ({ url }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('mails each holder once when a certificate is within noticeDays of expiry', async () => {
    const alice = await gw.user({ givenName: 'Alice' });
    const aliceCert = await gw.personalCertificate(alice);
    const establishment = await gw.establishment('Clinique des Tilleuls');
    const shared = await gw.collectiveCertificate(establishment, 'Accueil');
    const revoked = await gw.personalCertificate(await gw.user());
    await gw.runtime.authority.revoke(revoked.serial, 'keyCompromise', { name: 'test' });
    const notAfter = (await gw.runtime.storage.certificates.findBySerial(aliceCert.serial))!.notAfter;

    expect(await sendRenewalNotices(gw.runtime)).toBe(0);
    gw.clock.set(new Date(notAfter - (gw.config.renewal.noticeDays + 1) * DAY));
    expect(await sendRenewalNotices(gw.runtime)).toBe(0);
    const fresh = await gw.personalCertificate(await gw.user()); // issued now: years left
    gw.clock.advance(2 * DAY);

    expect(await sendRenewalNotices(gw.runtime)).toBe(2);
    const mails = (await gw.runtime.storage.outbox.list()).filter((m) => m.template === 'renewal.notice');
    const byRecipient = new Map(mails.map((m) => [m.recipient, JSON.parse(m.payload) as Record<string, unknown>]));
    expect([...byRecipient.keys()].sort()).toEqual([alice.email, 'referent@example.org'].sort());
    expect(byRecipient.get(alice.email)).toMatchObject({
      holderName: `Alice ${alice.familyName}`,
      label: 'Poste de test',
      serial: aliceCert.serial,
      notAfter,
      renewUrl: expect.stringMatching(new RegExp(`^https://${APP_HOST}(:\\d+)?/\\.passerelle/renouveler$`)),
    });
    expect(byRecipient.get('referent@example.org')).toMatchObject({ holderName: 'Clinique des Tilleuls', label: 'Accueil', serial: shared.serial });
    expect(mails.every((m) => m.status === 'pending')).toBe(true);

    // Once per certificate, however often the job runs.
    expect(await sendRenewalNotices(gw.runtime)).toBe(0);
    expect((await gw.runtime.storage.outbox.list()).filter((m) => m.template === 'renewal.notice')).toHaveLength(2);
    const notified = await gw.runtime.storage.certificates.findBySerial(aliceCert.serial);
    expect(notified?.renewalNotifiedAt).toBe(gw.clock.now().getTime());
    expect((await gw.runtime.storage.certificates.findBySerial(fresh.serial))?.renewalNotifiedAt).toBeNull();
    const audit = await gw.runtime.storage.audit.list({ action: 'certificate.renewal_notice' });
    expect(audit.map((e) => e.certificateSerial).sort()).toEqual([aliceCert.serial, shared.serial].sort());

    // The job serve runs: one more certificate coming due is picked up on its next pass.
    const job = startRenewalNotices(gw.runtime, 3_600_000);
    try {
      await job.runOnce();
      const bob = await gw.personalCertificate(await gw.user({ givenName: 'Bob' }));
      gw.clock.advance(1095 * DAY - 30 * DAY);
      expect(await job.runOnce()).toBeGreaterThanOrEqual(1);
      expect((await gw.runtime.storage.certificates.findBySerial(bob.serial))?.renewalNotifiedAt).toBe(gw.clock.now().getTime());
    } finally {
      await job.stop();
    }
  });
});

describe.each(databaseBackends())('renewal on the gateway on $name', ({ url }) => {
  let gw: TestGateway;
  let browser: Browser;

  let restoreLookup = (): void => undefined;
  beforeAll(async () => {
    await buildAssets();
    gw = await startTestGateway({ databaseUrl: url });
    // Playwright presents client certificates through a proxy in this process, which resolves the host
    // with Node's resolver — and *.localhost does not resolve there (see DESIGN.md): point it at loopback.
    restoreLookup = loopbackInNode(APP_HOST);
    // Chromium resolves the application host to the gateway; Playwright presents the client certificate.
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${APP_HOST} 127.0.0.1`] });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await gw?.close();
  });

  const origin = () => `https://${APP_HOST}:${gw.listeners.gatewayPort}`;

  it('renews from the workstation: new key and .p12 in the browser, old certificate revoked as superseded only once the new one is used', async () => {
    const user = await gw.user();
    const current = await gw.personalCertificate(user);
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      acceptDownloads: true,
      locale: 'fr-FR',
      clientCertificates: [{ origin: origin(), cert: Buffer.from(current.certPem), key: Buffer.from(current.keyPem) }],
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
      });

      // Signed out: the gateway asks for the password (identifier fixed by the certificate), then comes back.
      await page.goto(`${origin()}/.passerelle/renouveler`);
      expect(await page.inputValue('#identifier')).toBe(user.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/\.passerelle\/renouveler$/);
      expect(await page.textContent('main')).toContain(current.serial);
      expect(await page.textContent('main')).toContain('Ce certificat est encore valable');

      let renewed = '';
      page.on('response', async (response) => {
        if (response.url().endsWith('/.passerelle/renouveler') && response.request().method() === 'POST') renewed = ((await response.json()) as { serial: string }).serial;
      });
      await page.getByRole('button', { name: 'Renouveler le certificat' }).click();
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.waitForSelector('#step-password:not([hidden])', { timeout: 30_000 });
      // The file password comes first: nothing issued yet.
      expect(renewed).toBe('');

      await page.getByLabel('Mot de passe du fichier', { exact: true }).fill(P12_PASSWORD);
      await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(P12_PASSWORD);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), page.getByRole('button', { name: 'Créer et télécharger le fichier' }).click()]);
      // Dated, so that it does not land as "certificat-….p12 (1)" next to the first one.
      expect(download.suggestedFilename()).toMatch(new RegExp(`^certificat-${user.identifier.replace('.', '\\.')}-\\d{4}-\\d{2}-\\d{2}\\.p12$`));
      const file = path.join(work, `renewed-${renewed}.p12`);
      await download.saveAs(file);
      await page.waitForSelector('#step-install:not([hidden])');
      // The steps say the old one stays valid until the new one is used, and how to remove it.
      const installText = await page.textContent('#step-install');
      expect(installText).toContain(current.serial);
      expect(installText).toContain('reste valable jusqu’à ce que vous utilisiez le nouveau');
      expect(installText).toContain('supprimez l’ancien certificat');

      // Issued and delivered but not yet used: both certificates valid, the new one linked to the old.
      expect(renewed).toMatch(/^[0-9a-f]+$/);
      expect(await gw.runtime.storage.certificates.findBySerial(current.serial)).toMatchObject({ status: 'valid' });
      expect(await gw.runtime.storage.certificates.findBySerial(renewed)).toMatchObject({ status: 'valid', replacesSerial: current.serial, userId: user.id, label: 'Poste de test' });
      expect((await gw.request({ path: '/', cert: current })).status).not.toBe(495);

      const certPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
      const keyPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nocerts', '-nodes'], { encoding: 'utf8' });
      const certificate = new X509Certificate(certPem.slice(certPem.indexOf('-----BEGIN CERTIFICATE-----')));
      expect(certificate.serialNumber.toLowerCase()).toBe(renewed);
      expect(certificate.subject).toContain(`UID=${user.identifier}`);
      const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' });
      expect(spki(createPublicKey(createPrivateKey(keyPem))).equals(spki(certificate.publicKey))).toBe(true);
      expect(certificate.publicKey.asymmetricKeyType).toBe('rsa');

      // The new certificate opens the gateway; from that first use the old one no longer does.
      const fresh: ClientCertificate = { certPem: certificate.toString(), keyPem, serial: renewed, fingerprint: '' };
      const login = await gw.request({ path: '/.passerelle/login?next=/', cert: fresh });
      expect(login.status).toBe(200);
      expect(login.body).toContain(`value="${user.identifier}"`);
      expect(await gw.runtime.storage.certificates.findBySerial(current.serial)).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
      expect((await gw.request({ path: '/', cert: current })).status).toBe(495);
      expect(await gw.runtime.storage.certificates.findBySerial(renewed)).toMatchObject({ status: 'valid' });

      const actions = (await gw.runtime.storage.audit.list({ subject: user.identifier })).map((e) => `${e.action} ${e.outcome} ${e.certificateSerial}`);
      expect(actions).toEqual(expect.arrayContaining([`renewal.issue success ${renewed}`, `renewal.complete success ${renewed}`, `certificate.revoke success ${current.serial}`]));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  /** The page's CSRF token, from a signed-in session. */
  async function session(cert: ClientCertificate, identifier?: string): Promise<{ cookies: Map<string, string>; csrf: string | null; page: Response }> {
    const { cookies } = await signIn(gw, cert, PASSWORD, identifier);
    const page = await gw.request({ path: '/.passerelle/renouveler', cert, cookies });
    return { cookies, csrf: /data-csrf="([^"]+)"/.exec(page.body)?.[1] ?? null, page };
  }

  function post(cert: ClientCertificate, cookies: Map<string, string>, pathName: string, body: unknown, csrf?: string | null): Promise<Response> {
    return gw.request({
      method: 'POST',
      path: pathName,
      cert,
      cookies,
      headers: { 'content-type': 'application/json', accept: 'application/json', ...(csrf ? { 'x-csrf-token': csrf } : {}) },
      body: JSON.stringify(body),
    });
  }

  it('keeps the old certificate working until the new one is presented on the gateway, and checks CSRF and CSR', async () => {
    const user = await gw.user();
    const current = await gw.personalCertificate(user);
    const { cookies, csrf } = await session(current);
    expect(csrf).not.toBeNull();

    const noToken = await post(current, cookies, '/.passerelle/renouveler', { csr: opensslCsr() });
    expect([noToken.status, JSON.parse(noToken.body)]).toEqual([403, expect.objectContaining({ error: 'invalid_csrf_token' })]);
    // One bit of the signature flipped: the proof of possession fails.
    const der = Buffer.from(readCsr(opensslCsr())!.der);
    der[der.length - 5]! ^= 0x01;
    const forged = `-----BEGIN CERTIFICATE REQUEST-----\n${der.toString('base64')}\n-----END CERTIFICATE REQUEST-----\n`;
    const badCsr = await post(current, cookies, '/.passerelle/renouveler', { csr: forged }, csrf);
    expect([badCsr.status, (JSON.parse(badCsr.body) as { error: string }).error]).toEqual([400, 'invalid_csr']);

    const { csr, keyPem } = opensslCsrWithKey();
    const issued = await post(current, cookies, '/.passerelle/renouveler', { csr }, csrf);
    expect(issued.status, issued.body).toBe(200);
    const { serial, certificate, chain } = JSON.parse(issued.body) as { serial: string; certificate: string; chain: string[] };
    expect(chain).toEqual([gw.runtime.pki.issuingPem, gw.runtime.pki.rootPem]);
    expect(new X509Certificate(certificate).subject).not.toContain('Someone Else');

    // A lost download or a failed import loses nothing: the current certificate still reaches the application.
    const before = await gw.request({ path: '/api/whoami', cert: current, cookies, headers: { accept: 'application/json' } });
    expect(before.status).toBe(200);
    // The confirmation endpoint that revoked on download is gone.
    expect((await post(current, cookies, '/.passerelle/renouveler/terminer', { serial }, csrf)).status).not.toBe(200);
    expect(await gw.runtime.storage.certificates.findBySerial(current.serial)).toMatchObject({ status: 'valid' });

    // The new certificate presented once: the old one is revoked as superseded, audited, and refused from then on.
    const fresh: ClientCertificate = { certPem: certificate, keyPem, serial, fingerprint: '' };
    expect((await gw.request({ path: '/.passerelle/login?next=/', cert: fresh })).status).toBe(200);
    expect(await gw.runtime.storage.certificates.findBySerial(current.serial)).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    const after = await gw.request({ path: '/api/whoami', cert: current, cookies, headers: { accept: 'application/json' } });
    expect([after.status, (JSON.parse(after.body) as { error: string }).error]).toEqual([495, 'certificate_revoked']);
    const audit = await gw.runtime.storage.audit.list({ action: 'renewal.complete' });
    expect(audit.filter((e) => e.certificateSerial === serial).map((e) => e.outcome)).toEqual(['success']);
    // Presented again: nothing more happens.
    expect((await gw.request({ path: '/.passerelle/login?next=/', cert: fresh })).status).toBe(200);
    expect((await gw.runtime.storage.audit.list({ action: 'renewal.complete' })).filter((e) => e.certificateSerial === serial)).toHaveLength(1);
  });

  it('revokes an earlier renewal that was never confirmed when the holder renews again', async () => {
    const user = await gw.user();
    const current = await gw.personalCertificate(user);
    const { cookies, csrf } = await session(current);
    const first = JSON.parse((await post(current, cookies, '/.passerelle/renouveler', { csr: opensslCsr() }, csrf)).body) as { serial: string };
    const second = JSON.parse((await post(current, cookies, '/.passerelle/renouveler', { csr: opensslCsr() }, csrf)).body) as { serial: string };
    expect(await gw.runtime.storage.certificates.findBySerial(first.serial)).toMatchObject({ status: 'revoked', revocationReason: 'superseded' });
    expect(await gw.runtime.storage.certificates.findBySerial(second.serial)).toMatchObject({ status: 'valid', replacesSerial: current.serial });
    expect(await gw.runtime.storage.certificates.findBySerial(current.serial)).toMatchObject({ status: 'valid' });
  });

  it('refuses a collective certificate: the referent asks the cell for a new one', async () => {
    const establishment = await gw.establishment();
    const shared = await gw.collectiveCertificate(establishment);
    const user = await gw.user({ establishmentId: establishment.id });
    const { cookies, page } = await session(shared, user.identifier);
    expect(page.status).toBe(403);
    expect(page.body).toContain('data-error-code="renewal_collective"');
    expect(page.body).not.toContain('data-csrf');
    const refused = await post(shared, cookies, '/.passerelle/renouveler', { csr: opensslCsr() });
    expect([refused.status, (JSON.parse(refused.body) as { error: string }).error]).toEqual([403, 'renewal_collective']);
    expect(await gw.runtime.storage.certificates.listByEstablishment(establishment.id)).toHaveLength(1);
    const audit = await gw.runtime.storage.audit.list({ action: 'renewal.issue' });
    expect(audit.some((e) => e.outcome === 'failure' && e.reason === 'renewal_collective' && e.certificateSerial === shared.serial)).toBe(true);
  });
});
