/**
 * The coordination console in a real Chromium holding the coordinator's certificate
 * (Playwright clientCertificates): sign in on the console host, approve a registration from
 * the queue, and axe-core finds no serious or critical accessibility problem on the dashboard,
 * the queue, the registration's page and the second-factor enrolment. Screenshots for the docs.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { SCREENSHOTS } from './helpers/screenshots.ts';
import { mkdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from './helpers/backends.ts';
import { PASSWORD, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CONSOLE = 'console.localhost';
const CHROMIUM_ARGS = chromiumArgs(CONSOLE);


describe.each(databaseBackends())('console in Chromium on $name', ({ name, url }) => {
  let gw: TestGateway;
  let browser: Browser;
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    // Playwright presents client certificates through a proxy in this process, which resolves
    // the host with Node's resolver — and *.localhost does not resolve there: loopback it.
    restoreLookup = loopbackInNode(CONSOLE);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await gw?.close();
  });

  it('signs in with the certificate, approves a registration from the queue; no serious accessibility problem', async () => {
    const { user: coordinator } = await gw.runtime.accounts.createUser(
      { givenName: 'Sophie', familyName: 'Cellule', email: 'sophie@cellule.example.org', role: 'coordinator', password: PASSWORD },
      { name: 'test', ip: null },
    );
    const cert = await gw.personalCertificate(coordinator);
    const existing = await gw.user({ givenName: 'Marc', familyName: 'Durand' });
    const now = gw.clock.now().getTime();
    const registrations = [
      { givenName: 'Hélène', familyName: 'Lefèvre', email: 'helene.lefevre@example.org', profession: 'Kinésithérapeute', rpps: '10101010101', establishmentName: 'Cabinet des Lilas' },
      { givenName: 'Marc', familyName: 'Durand', email: existing.email, profession: 'Médecin', rpps: null, establishmentName: 'CH de Valence' },
    ].map((r, i) => ({ id: randomUUID(), ...r, establishmentId: null, reason: 'Réadaptation respiratoire', requestedApplication: 'opendrp', lang: 'fr' as const, ip: '198.51.100.7', createdAt: now - (2 - i) * 3_600_000 }));
    for (const r of registrations) await gw.runtime.storage.registrations.insert(r);
    const patient = await gw.user({ givenName: 'Nina' });
    await gw.runtime.storage.certificateRequests.insert({ id: randomUUID(), kind: 'personal', userId: patient.id, establishmentId: null, label: 'Cabinet — poste accueil', requestedBy: patient.identifier, createdAt: now });
    const helene = registrations[0]!;

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

      // The gateway's login form: identifier fixed by the certificate, password still required.
      await page.goto(`${origin}/`);
      expect(await page.inputValue('#identifier')).toBe(coordinator.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${origin}/`);
      expect(await page.textContent('h1')).toBe('Tableau de bord');
      expect(await page.getAttribute('[data-count="pendingRegistrations"]', 'data-value')).toBe('2');
      expect(await page.getAttribute('[data-count="pendingCertificateRequests"]', 'data-value')).toBe('1');
      expect(await accessibilityProblems(page)).toEqual([]);
      if (name === 'sqlite') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}console-dashboard.png`, fullPage: true });
      }

      await page.getByRole('navigation', { name: 'Console de coordination' }).getByRole('link', { name: 'Inscriptions' }).click();
      await page.waitForURL(`${origin}/inscriptions`);
      const duplicateRow = page.locator(`tr[data-id="${registrations[1]!.id}"]`);
      expect(await duplicateRow.textContent()).toContain(`Compte ${existing.identifier}`);
      expect(await accessibilityProblems(page)).toEqual([]);
      if (name === 'sqlite') await page.screenshot({ path: `${SCREENSHOTS}console-queue.png`, fullPage: true });

      // Hélène's registration: details beside the (absent) duplicates, then approve.
      await page.getByRole('link', { name: 'Examiner la demande : Hélène Lefèvre' }).click();
      await page.waitForURL(`${origin}/inscriptions/${helene.id}`);
      expect(await page.textContent('h1')).toBe('Inscription de Hélène Lefèvre');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Approuver l’inscription' }).click();
      // The confirmation names the account created (issue 11, point 9).
      await page.waitForURL((url) => url.pathname === '/inscriptions' && url.searchParams.get('ok') === 'approved');
      expect(await page.getByRole('status').first().textContent()).toContain('Inscription approuvée');
      expect(await page.getByRole('status').first().textContent()).toContain(`le compte ${new URL(page.url()).searchParams.get('identifier')} est créé`);
      expect(await page.locator(`tr[data-id="${helene.id}"]`).count()).toBe(0);

      const approved = await gw.runtime.storage.registrations.findById(helene.id);
      expect(approved).toMatchObject({ status: 'approved', decidedBy: coordinator.identifier });
      const account = await gw.runtime.storage.users.findById(approved!.userId!);
      expect(account).toMatchObject({ identifier: 'helene.lefevre', status: 'provisional' });
      expect((await gw.runtime.storage.outbox.list()).some((m) => m.recipient === helene.email && m.template === 'registration.approved')).toBe(true);

      // The second-factor enrolment page (QR code drawn on the server) passes too.
      await page.goto(`${origin}/second-facteur/activation`);
      expect(await page.locator('svg.console-qr').count()).toBe(1);
      expect(await accessibilityProblems(page)).toEqual([]);

      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
