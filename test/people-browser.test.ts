/**
 * People in a real Chromium holding the coordinator's certificate (Playwright clientCertificates):
 * find a locked person with the search and the status filter, open their page, unlock them
 * through the confirmation page; the new provisional password arrives through real SMTP and
 * opens the portal's first login. axe-core finds no serious or critical problem on the list,
 * the person page and the confirmation. Screenshot for the docs: console-people.png.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { SCREENSHOTS } from './helpers/screenshots.ts';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { startMailWorker, type MailWorker } from '../src/notification/index.ts';
import { invitePerson } from '../src/people/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { PASSWORD, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.ts';

const CONSOLE = 'console.localhost';
const CHROMIUM_ARGS = chromiumArgs(CONSOLE);
const ACTOR = { name: 'test', ip: null };


function valueAfter(mail: ReceivedMail, label: string): string {
  const match = new RegExp(`${label}\\s*:\\s*(\\S+)`).exec(mail.text.replace(/\u00a0/g, ' '));
  if (!match) throw new Error(`no "${label}" in mail "${mail.subject}"`);
  return match[1]!;
}

describe.each(databaseBackends())('people in Chromium on $name', ({ name, url }) => {
  let gw: TestGateway;
  let smtp: TestSmtpServer;
  let worker: MailWorker;
  let browser: Browser;
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    await buildAssets();
    smtp = await startSmtpServer();
    gw = await startTestGateway({ databaseUrl: url, overrides: { smtp: { url: smtp.url, from: 'Passerelle <no-reply@esante.localhost>' }, mail: { maxAttempts: 8, pollSeconds: 0.05 } } });
    worker = startMailWorker(gw.runtime);
    // Playwright presents client certificates through a proxy in this process, which resolves
    // the host with Node's resolver — and *.localhost does not resolve there: loopback it.
    restoreLookup = loopbackInNode(CONSOLE);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await worker?.stop();
    await gw?.close();
    await smtp?.stop();
  });

  it('finds a locked person, unlocks them after confirming; the mailed password opens the first login', async () => {
    const { user: coordinator } = await gw.runtime.accounts.createUser({ givenName: 'Sophie', familyName: 'Cellule', email: 'sophie@cellule.example.org', role: 'coordinator', password: PASSWORD }, ACTOR);
    const cert = await gw.personalCertificate(coordinator);
    const chu = await gw.runtime.accounts.createEstablishment({ name: 'CHU de Dijon', finess: '210780581', referentEmail: 'referent@chu-dijon.example.fr' }, ACTOR);
    const clinique = await gw.runtime.accounts.createEstablishment({ name: 'Clinique des Tilleuls', referentEmail: 'accueil@tilleuls.example.fr' }, ACTOR);
    // A few colleagues in every state, for the list (and the screenshot).
    const make = (givenName: string, familyName: string, o: { establishmentId?: string; rpps?: string; password?: string | null } = {}) =>
      gw.runtime.accounts.createUser({ givenName, familyName, email: `${givenName}.${familyName}@example.org`.toLowerCase().normalize('NFD').replace(/\p{M}/gu, ''), establishmentId: o.establishmentId ?? null, rpps: o.rpps ?? null, profession: 'Kinésithérapeute', password: o.password === undefined ? PASSWORD : o.password }, ACTOR);
    await make('Hélène', 'Lefèvre', { establishmentId: chu.id, rpps: '10101010101' });
    await make('Jean-Pierre', 'Lefebvre', { establishmentId: clinique.id });
    const { user: gone } = await make('Marc', 'Durand', { establishmentId: chu.id });
    await gw.runtime.storage.users.setStatus(gone.id, 'deactivated', gw.clock.now().getTime());
    await make('Inès', 'Benali', { password: null });
    await invitePerson(gw.runtime, { givenName: 'Théo', familyName: 'Garnier', email: 'theo.garnier@example.org', establishmentId: clinique.id }, ACTOR);
    const { user: lucie } = await make('Lucie', 'Verrou', { establishmentId: chu.id, rpps: '10002000300' });
    for (let i = 0; i < gw.config.lockout.maxFailures; i += 1) await gw.runtime.storage.users.recordFailure(lucie.id, gw.config.lockout.maxFailures, gw.clock.now().getTime());

    const origin = `https://${CONSOLE}:${gw.listeners.gatewayPort}`;
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
      clientCertificates: [{ origin, cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }],
    });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(m.text());
      });

      await page.goto(`${origin}/personnes`);
      expect(await page.inputValue('#identifier')).toBe(coordinator.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${origin}/personnes`);
      expect(await page.textContent('h1')).toBe('Personnes');
      expect(await page.locator('tr[data-person]').count()).toBe(7);
      expect(await page.textContent(`tr[data-person="${lucie.identifier}"]`)).toContain('Verrouillé');
      expect(await accessibilityProblems(page)).toEqual([]);
      if (name === 'sqlite') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}console-people.png`, fullPage: true });
      }

      // The status filter (one: the links — issue 11, point 9), then a search that keeps it.
      await page.getByRole('navigation', { name: 'Filtrer par statut' }).getByRole('link', { name: 'Verrouillé', exact: true }).click();
      await page.waitForURL(`${origin}/personnes?status=locked`);
      await page.getByLabel('Nom, identifiant, courriel, RPPS ou établissement').fill('dijon');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL(`${origin}/personnes?q=dijon&status=locked`);
      expect(await page.locator('tr[data-person]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-person')))).toEqual([lucie.identifier]);
      expect(await page.textContent('#people-results')).toBe('1 personne');

      // Her page, then the unlock behind its confirmation.
      await page.getByRole('link', { name: 'VERROU Lucie' }).click();
      await page.waitForURL(`${origin}/personnes/${lucie.id}`);
      expect(await page.textContent('h1')).toBe('Lucie Verrou');
      expect(await page.textContent('main')).toContain('10002000300');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('link', { name: 'Déverrouiller' }).click();
      await page.waitForURL(`${origin}/personnes/${lucie.id}/deverrouiller`);
      expect(await page.textContent('h1')).toBe('Confirmer le déverrouillage');
      expect((await gw.runtime.storage.users.findById(lucie.id))!.status).toBe('locked');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Déverrouiller et envoyer le mot de passe' }).click();
      await page.waitForURL(`${origin}/personnes/${lucie.id}?ok=unlocked`);
      expect(await page.textContent('[role="status"]')).toContain('Compte déverrouillé');
      expect(await page.textContent('.people-summary')).toContain('Provisoire');
      expect((await gw.runtime.storage.users.findById(lucie.id))!.status).toBe('provisional');
      const history = await page.locator('section[aria-labelledby="history-title"] tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(history).toEqual(['user.unlock', 'user.create']);

      // The mail, through SMTP; its password opens the portal, straight to the first login.
      const mail = await smtp.waitFor((m) => m.to.includes(lucie.email) && /débloqué/.test(m.subject));
      expect(valueAfter(mail, 'Identifiant')).toBe(lucie.identifier);
      const password = valueAfter(mail, 'Mot de passe provisoire');
      const portal = `https://localhost:${gw.listeners.publicPort}`;
      const person = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
      try {
        const tab = await person.newPage();
        await tab.goto(`${portal}/connexion`);
        await tab.fill('#f-identifier', lucie.identifier);
        await tab.fill('#f-password', PASSWORD);
        await tab.getByRole('button', { name: 'Se connecter' }).click();
        expect(await tab.textContent('main')).toContain('incorrect');
        await tab.fill('#f-identifier', lucie.identifier);
        await tab.fill('#f-password', password);
        await tab.getByRole('button', { name: 'Se connecter' }).click();
        await tab.waitForURL(`${portal}/premiere-connexion`);
      } finally {
        await person.close();
      }
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
