/**
 * The console's registry in a real Chromium holding the coordinator's certificate: issue a
 * collective certificate request from an establishment's page, revoke a certificate (with the
 * confirmation step and an RFC 5280 reason), export the audit trail as CSV (a real download);
 * axe-core finds no serious or critical problem on the establishments, certificates and audit
 * pages. Screenshots for the docs.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { SCREENSHOTS } from './helpers/screenshots.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseBackends } from './helpers/backends.ts';
import { parseCsv } from './helpers/csv.ts';
import { PASSWORD, errorCode, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CONSOLE = 'console.localhost';
const CHROMIUM_ARGS = chromiumArgs(CONSOLE);


describe.each(databaseBackends())('console registry in Chromium on $name', ({ name, url }) => {
  let gw: TestGateway;
  let browser: Browser;
  const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-registry-'));
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    gw = await startTestGateway({ databaseUrl: url });
    // Playwright's client-certificate proxy resolves with Node's resolver, where *.localhost does not resolve.
    restoreLookup = loopbackInNode(CONSOLE);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await gw?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('issues a collective certificate, revokes a certificate, exports the audit trail; no serious accessibility problem', async () => {
    const { user: coordinator } = await gw.runtime.accounts.createUser(
      { givenName: 'Sophie', familyName: 'Cellule', email: 'sophie@cellule.example.org', role: 'coordinator', password: PASSWORD },
      { name: 'test', ip: null },
    );
    const cert = await gw.personalCertificate(coordinator);
    const actor = { name: 'test', ip: null };
    const lilas = await gw.runtime.accounts.createEstablishment({ name: 'Centre de réadaptation des Lilas', finess: '260000021', referentEmail: 'referent@lilas.example.org' }, actor);
    await gw.runtime.accounts.createEstablishment({ name: 'Cabinet Saint-Éloi', finess: null, referentEmail: 'accueil@saint-eloi.example.org' }, actor);
    const helene = await gw.user({ givenName: 'Hélène', familyName: 'Lefèvre', establishmentId: lilas.id });
    await gw.user({ givenName: 'Marc', familyName: 'Durand', establishmentId: lilas.id });
    const stolen = await gw.personalCertificate(helene);
    await gw.collectiveCertificate(lilas, 'Accueil — poste 1');

    const origin = `https://${CONSOLE}:${gw.listeners.gatewayPort}`;
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      acceptDownloads: true,
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

      await page.goto(`${origin}/etablissements`);
      expect(await page.inputValue('#identifier')).toBe(coordinator.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${origin}/etablissements`);

      // Establishments: search without accents, then the establishment's page.
      expect(await page.textContent('h1')).toBe('Établissements');
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByLabel('Rechercher un établissement').fill('lilas readaptation');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/\/etablissements\?q=/);
      expect(await page.locator('[data-testid="establishments"] tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: 'Centre de réadaptation des Lilas' }).click();
      await page.waitForURL(`${origin}/etablissements/${lilas.id}`);
      expect(await page.locator('[data-testid="establishment-people"] tbody tr').count()).toBe(2);
      expect(await accessibilityProblems(page)).toEqual([]);

      // A collective certificate for a named shared workstation, approved at once.
      await page.getByLabel('Nom du poste').fill('Salle de soins — poste 2');
      expect(await page.isChecked('#f-approve')).toBe(true);
      await page.getByRole('button', { name: 'Demander le certificat collectif' }).click();
      await page.waitForURL(`${origin}/etablissements/${lilas.id}?ok=collective_issued`);
      expect(await page.getByRole('status').first().textContent()).toContain('Demande approuvée');
      const requestRow = page.locator('[data-testid="collective-requests"] tbody tr');
      expect(await requestRow.count()).toBe(1);
      expect(await requestRow.textContent()).toContain('Salle de soins — poste 2');
      const [request] = await gw.runtime.storage.certificateRequests.list({ establishmentId: lilas.id });
      expect(request).toMatchObject({ kind: 'collective', status: 'approved', requestedBy: coordinator.identifier });
      expect((await gw.runtime.storage.outbox.list(undefined, 1000)).filter((m) => m.recipient === lilas.referentEmail)).toHaveLength(2);

      // Certificates: Hélène's workstation was stolen.
      await page.getByRole('navigation', { name: 'Console de coordination' }).getByRole('link', { name: 'Certificats' }).click();
      await page.waitForURL(`${origin}/certificats`);
      await page.getByLabel('Établissement').selectOption(lilas.id);
      await page.getByLabel('Type').selectOption('personal');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/\/certificats\?/);
      expect(await page.locator('[data-testid="certificates"] tbody tr').count()).toBe(1);
      await page.getByRole('link', { name: 'Effacer les filtres' }).click();
      await page.waitForURL(`${origin}/certificats`);
      expect(await accessibilityProblems(page)).toEqual([]);
      if (name === 'sqlite') {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}console-certificates.png`, fullPage: true });
      }
      await page.locator(`tr[data-serial="${stolen.serial}"] a`).click();
      await page.waitForURL(`${origin}/certificats/${stolen.serial}`);
      const crlBefore = Number(await page.getAttribute('[data-testid="crl"]', 'data-crl-number'));
      await page.getByRole('link', { name: 'Révoquer ce certificat' }).click();
      await page.waitForURL(`${origin}/certificats/${stolen.serial}/revoquer`);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByLabel('Clé compromise').check();
      await page.getByRole('button', { name: 'Révoquer définitivement' }).click();
      await page.waitForURL(`${origin}/certificats/${stolen.serial}?ok=certificate_revoked`);
      expect(await page.getByRole('status').first().textContent()).toContain('Certificat révoqué');
      const crlAfter = Number(await page.getAttribute('[data-testid="crl"]', 'data-crl-number'));
      expect(crlAfter).toBe(crlBefore + 1);
      expect(await page.textContent('[data-testid="certificate-details"]')).toContain('Clé compromise');
      expect(await gw.runtime.storage.certificates.findBySerial(stolen.serial)).toMatchObject({ status: 'revoked', revocationReason: 'keyCompromise' });
      const refused = await gw.request({ path: '/', cert: stolen });
      expect(errorCode(refused.body)).toBe('certificate_revoked');

      // Audit trail: certificate actions, then the CSV of the same filter.
      await page.getByRole('navigation', { name: 'Console de coordination' }).getByRole('link', { name: 'Journal' }).click();
      await page.waitForURL(`${origin}/journal`);
      await page.getByLabel('Action').fill('certificate.*');
      await page.getByRole('button', { name: 'Filtrer' }).click();
      await page.waitForURL(/\/journal\?.*action=certificate/);
      const actions = await page.locator('[data-testid="audit-events"] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(actions[0]).toBe('certificate.revoke');
      expect(actions.every((a) => a?.startsWith('certificate'))).toBe(true);
      expect(await accessibilityProblems(page)).toEqual([]);
      if (name === 'sqlite') await page.screenshot({ path: `${SCREENSHOTS}console-audit.png`, fullPage: true });
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporter en CSV (mêmes filtres)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^journal-\d{4}-\d{2}-\d{2}\.csv$/);
      const file = path.join(work, download.suggestedFilename());
      await download.saveAs(file);
      const rows = parseCsv(readFileSync(file, 'utf8').replace(/^\ufeff/, ''), ';');
      expect(rows[0]![3]).toBe('action');
      expect(rows.slice(1).map((r) => r[3])).toEqual(actions);
      const revocation = rows.find((r) => r[3] === 'certificate.revoke')!;
      expect(revocation.slice(4, 9)).toEqual(['success', 'keyCompromise', coordinator.identifier, '127.0.0.1', stolen.serial]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
