/**
 * /retrait end to end in a real headless Chromium: the page's script makes the key pair, the CSR and
 * the .p12 in the browser; openssl then reads the downloaded file with the chosen password.
 */
import { chromiumArgs, chromiumExecutable } from './helpers/browser.ts';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { issueWithdrawalCode, withdrawalIdentifier } from '../src/enrollment/withdrawal-codes.ts';
import type { User } from '../src/model/index.ts';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CHROMIUM_ARGS = chromiumArgs();
const P12_PASSWORD = 'Fichier-2026!';
const DAY = 86_400_000;

const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-withdrawal-browser-'));
let browser: Browser;

beforeAll(async () => {
  await buildAssets();
  browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  rmSync(work, { recursive: true, force: true });
});

async function approvedRequest(gw: TestGateway, user: User): Promise<{ code: string; identifier: string }> {
  const { runtime, clock } = gw;
  const id = runtime.random.uuid();
  const now = clock.now().getTime();
  return runtime.storage.transaction(async (repos) => {
    await repos.certificateRequests.insert({ id, kind: 'personal', userId: user.id, establishmentId: null, label: 'Cabinet — poste accueil', requestedBy: user.identifier, createdAt: now });
    await repos.certificateRequests.approve(id, 'coordinator', now);
    const { code } = await issueWithdrawalCode(repos, { clock, random: runtime.random, validityMs: 30 * DAY }, id);
    return { code, identifier: withdrawalIdentifier((await repos.certificateRequests.findById(id))!, user, gw.config.platformDomain) };
  });
}

/** CSP violations, uncaught exceptions and failed responses of a page. */
function watch(page: Page): { problems: string[]; failed: string[] } {
  const problems: string[] = [];
  const failed: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.request().method()} ${new URL(response.url()).pathname} ${response.status()}`);
  });
  return { problems, failed };
}

const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? null);

describe.each([{ keyAlgorithm: 'rsa-2048' as const }, { keyAlgorithm: 'ec-p256' as const }])('withdrawal page with $keyAlgorithm keys', ({ keyAlgorithm }) => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ overrides: { withdrawal: { codeValidityDays: 30, maxAttempts: 5, keyAlgorithm, retryWindowMinutes: 15 } } });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('generates the key in the browser, sends a CSR and downloads a .p12 that openssl reads with the chosen password', async () => {
    const user = await gw.user();
    const { code, identifier } = await approvedRequest(gw, user);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      const { problems, failed } = watch(page);
      const response = await page.goto(`https://localhost:${gw.listeners.publicPort}/retrait`);
      expect(response?.status()).toBe(200);
      const csp = response?.headers()['content-security-policy'] ?? '';
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain('unsafe-inline');
      // Scripts come from files only; no inline script, no inline style.
      const scripts = await page.$$eval('script', (elements) => elements.map((s) => ({ src: s.getAttribute('src'), inline: (s.textContent ?? '').trim().length })));
      expect(scripts).toEqual([{ src: '/assets/withdrawal.bundle.js', inline: 0 }]);
      expect(await page.locator('[style], style').count()).toBe(0);
      expect(await page.getAttribute('#enrollment', 'data-key-algorithm')).toBe(keyAlgorithm);

      // Step 1 → 2: the compatibility check of this browser, focus on its heading.
      expect(await page.isVisible('#enrollment-noscript')).toBe(false);
      await page.getByRole('button', { name: 'J’ai reçu un code de retrait' }).click();
      expect(await activeId(page)).toBe('step-check-heading');
      await page.getByRole('button', { name: 'Continuer' }).click();
      expect(await page.textContent('#check-result')).toContain('compatible');
      expect(await activeId(page)).toBe('step-code-heading');

      // Step 3: a wrong code first: the API's answer in French, the form usable again.
      await page.getByLabel('Identifiant de retrait', { exact: true }).fill(identifier);
      await page.getByLabel('Code de retrait', { exact: true }).fill('zzzz2222');
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.waitForSelector('#code-error:not([hidden])');
      expect(await page.textContent('#code-error')).toContain('Identifiant de retrait ou code incorrect');
      expect(await page.getAttribute('#withdrawal-code', 'aria-invalid')).toBe('true');
      expect(await activeId(page)).toBe('withdrawal-code');

      await page.getByLabel('Code de retrait', { exact: true }).fill(code);
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.waitForSelector('#step-password:not([hidden])', { timeout: 30_000 });
      expect(await activeId(page)).toBe('step-password-heading');
      // The file password comes first: nothing has been sent, the code is still unused.
      expect(await gw.runtime.storage.certificates.listByUser(user.id)).toEqual([]);

      // Step 4: the file password (too short, then mismatched, then right).
      await page.getByLabel('Mot de passe du fichier', { exact: true }).fill('court');
      await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill('court');
      await page.getByRole('button', { name: 'Créer et télécharger le fichier' }).click();
      expect(await page.textContent('#password-error')).toContain('au moins 8 caractères');
      await page.getByLabel('Mot de passe du fichier', { exact: true }).fill(P12_PASSWORD);
      await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(`${P12_PASSWORD}x`);
      await page.getByRole('button', { name: 'Créer et télécharger le fichier' }).click();
      expect(await page.textContent('#password-error')).toContain('pas identiques');
      await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(P12_PASSWORD);
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Créer et télécharger le fichier' }).click()]);
      const fileName = download.suggestedFilename();
      // The date in the name keeps a renewed file from landing as "(1)".
      expect(fileName).toMatch(new RegExp(`^certificat-${user.identifier.replace('.', '\\.')}-\\d{4}-\\d{2}-\\d{2}\\.p12$`));
      const file = path.join(work, `${keyAlgorithm}-${fileName}`);
      await download.saveAs(file);

      // Step 5: instructions, the file name, the end.
      await page.waitForSelector('#step-install:not([hidden])');
      expect(await activeId(page)).toBe('step-install-heading');
      expect(await page.locator('#step-install [data-file-name]').first().textContent()).toBe(fileName);
      expect(await page.locator('details[data-platform="linux"]').getAttribute('open')).not.toBeNull();
      // Nobody is signed in on /retrait: no "déconnectez-vous".
      expect(await page.textContent('#step-install')).toContain('C’est terminé\u00a0: vous pouvez fermer cet onglet.');
      expect(await page.isVisible('#step-password')).toBe(false);

      // openssl reads the file with the password; the key inside is the certificate's.
      const certPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
      const keyPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nocerts', '-nodes'], { encoding: 'utf8' });
      expect(() => execFileSync('openssl', ['pkcs12', '-in', file, '-passin', 'pass:wrong-password', '-noout'], { stdio: 'pipe' })).toThrow();
      const certificate = new X509Certificate(certPem.slice(certPem.indexOf('-----BEGIN CERTIFICATE-----')));
      const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' });
      expect(spki(createPublicKey(createPrivateKey(keyPem))).equals(spki(certificate.publicKey))).toBe(true);
      expect(certificate.publicKey.asymmetricKeyType).toBe(keyAlgorithm === 'ec-p256' ? 'ec' : 'rsa');
      expect(certificate.subject).toContain(`UID=${user.identifier}`);
      const stored = await gw.runtime.storage.certificates.listByUser(user.id);
      expect(stored.map((c) => c.serial)).toEqual([certificate.serialNumber.toLowerCase()]);
      // The issuing CA travels with the certificate; the root does not (Windows would ask to trust it).
      const all = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nokeys'], { encoding: 'utf8' });
      expect(all.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
      expect(all).toContain(gw.runtime.pki.issuingPem.trim().split('\n')[1]);
      expect(all).not.toContain(gw.runtime.pki.rootPem.trim().split('\n')[1]);

      expect(problems).toEqual([]);
      // Only the wrong code was refused (and the favicon Passerelle does not have).
      expect(failed.filter((f) => !f.startsWith('GET /favicon.ico'))).toEqual(['POST /api/withdrawal/check 400']);
    } finally {
      await context.close();
    }
  });

  it('survives a closed tab: nothing is spent before the file password, and a lost answer resumes with the same certificate', async () => {
    const user = await gw.user();
    const { code, identifier } = await approvedRequest(gw, user);
    const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'fr-FR' });
    const url = `https://localhost:${gw.listeners.publicPort}/retrait`;
    const toCode = async (page: Page) => {
      await page.goto(url);
      await page.getByRole('button', { name: 'J’ai reçu un code de retrait' }).click();
      await page.getByRole('button', { name: 'Continuer' }).click();
      await page.getByLabel('Identifiant de retrait', { exact: true }).fill(identifier);
      await page.getByLabel('Code de retrait', { exact: true }).fill(code);
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.waitForSelector('#step-password:not([hidden])', { timeout: 30_000 });
    };
    const choosePassword = async (page: Page) => {
      await page.getByLabel('Mot de passe du fichier', { exact: true }).fill(P12_PASSWORD);
      await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(P12_PASSWORD);
    };
    try {
      // 1. The tab is closed right after the code step: the code is not burnt, nothing was issued.
      const first = await context.newPage();
      await toCode(first);
      await first.close();
      expect(await gw.runtime.storage.certificates.listByUser(user.id)).toEqual([]);

      // 2. Again; this time the certificate is issued but its answer never reaches the page (tab closed, crash).
      const second = await context.newPage();
      expect(await second.goto(url).then(() => second.isVisible('#resume'))).toBe(false);
      await toCode(second);
      await choosePassword(second);
      let issued: { serial: string } | null = null;
      await second.route('**/api/withdrawal', async (route) => {
        const response = await route.fetch();
        issued = (await response.json()) as { serial: string };
        await route.abort('connectionreset');
      });
      await second.getByRole('button', { name: 'Créer et télécharger le fichier' }).click();
      await second.waitForSelector('#password-error:not([hidden])', { timeout: 30_000 });
      await second.close();
      expect(issued).not.toBeNull();
      const serial = issued!.serial;
      expect((await gw.runtime.storage.certificates.listByUser(user.id)).map((c) => c.serial)).toEqual([serial]);

      // 3. /retrait reopened in the same browser offers to resume, and delivers that same certificate.
      const third = await context.newPage();
      const { problems } = watch(third);
      await third.goto(url);
      await third.waitForSelector('#resume:not([hidden])');
      expect(await third.textContent('#resume-text')).toContain(identifier);
      expect(await third.textContent('#step-start')).toContain('dans les 15 minutes');
      await third.getByRole('button', { name: 'Reprendre le retrait' }).click();
      expect(await third.inputValue('#withdrawal-identifier')).toBe(identifier);
      await third.getByLabel('Code de retrait', { exact: true }).fill(code);
      await third.getByRole('button', { name: 'Suivant' }).click();
      await choosePassword(third);
      const [download] = await Promise.all([third.waitForEvent('download', { timeout: 30_000 }), third.getByRole('button', { name: 'Créer et télécharger le fichier' }).click()]);
      const file = path.join(work, `resumed-${keyAlgorithm}-${download.suggestedFilename()}`);
      await download.saveAs(file);
      const certPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
      const keyPem = execFileSync('openssl', ['pkcs12', '-in', file, '-passin', `pass:${P12_PASSWORD}`, '-nocerts', '-nodes'], { encoding: 'utf8' });
      const certificate = new X509Certificate(certPem.slice(certPem.indexOf('-----BEGIN CERTIFICATE-----')));
      expect(certificate.serialNumber.toLowerCase()).toBe(serial);
      const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' });
      expect(spki(createPublicKey(createPrivateKey(keyPem))).equals(spki(certificate.publicKey))).toBe(true);
      // One certificate, no orphan.
      expect((await gw.runtime.storage.certificates.listByUser(user.id)).map((c) => c.serial)).toEqual([serial]);
      expect(problems).toEqual([]);

      // The .p12 saved, the key pair left IndexedDB: nothing to resume any more.
      await third.goto(url);
      await third.waitForFunction(() => document.getElementById('start-action')?.hidden === false);
      expect(await third.isVisible('#resume')).toBe(false);
      expect(await third.evaluate(() => new Promise<number>((resolve) => {
        const open = indexedDB.open('passerelle-withdrawal', 1);
        open.onsuccess = () => {
          const count = open.result.transaction('pending').objectStore('pending').count();
          count.onsuccess = () => resolve(count.result);
        };
      }))).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('speaks English on ?lang=en and explains itself without JavaScript', async () => {
    const context = await browser.newContext({ ignoreHTTPSErrors: true, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`https://localhost:${gw.listeners.publicPort}/retrait?lang=en`);
      expect(await page.title()).toContain('Certificate pickup');
      expect(await page.isVisible('#enrollment-noscript')).toBe(true);
      expect(await page.textContent('#enrollment-noscript')).toContain('needs JavaScript');
      expect(await page.isVisible('#start-button')).toBe(false);
    } finally {
      await context.close();
    }
  });
});
