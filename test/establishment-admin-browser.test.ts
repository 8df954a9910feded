/**
 * Delegated administration in a real Chromium holding an establishment administrator's
 * certificate: the administrator invites a person, attaches them to a service that has
 * OpenDRP, and that person reaches OpenDRP through the gateway (real mTLS) without any
 * individual grant; removed from the service, their next request is refused. The
 * administrator cannot see or act on another establishment's people, services or the cell's
 * pages — direct URLs, forged POSTs and admin API calls are refused and audited.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { hashPassword } from '../src/authentication/password.ts';
import { REGION, addAdmin, allowApplication, createService, grantToService } from '../src/services/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { SCREENSHOTS } from './helpers/screenshots.ts';
import { PASSWORD, csrfOf, signIn, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CONSOLE = 'console.localhost';
const ACTOR = { name: 'cellule', ip: null };

describe.each(databaseBackends())('establishment administrator in Chromium on $name', ({ url }) => {
  let gw: TestGateway;
  let browser: Browser;
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    await buildAssets();
    gw = await startTestGateway({ databaseUrl: url });
    restoreLookup = loopbackInNode(CONSOLE);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs(CONSOLE) });
  });
  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await gw?.close();
  });

  it('invites, attaches to a service with OpenDRP, access follows membership; nothing of another establishment is reachable', async () => {
    const { runtime } = gw;
    // The cell's side: two establishments, an administrator for the CHU, OpenDRP allowed there, a service that has it.
    const chu = await gw.establishment('CHU de Dijon');
    const clinique = await gw.establishment('Clinique des Tilleuls');
    const admin = await gw.user({ givenName: 'Claire', familyName: 'Admin', establishmentId: chu.id, grant: false });
    const outsider = await gw.user({ givenName: 'Paul', familyName: 'Ailleurs', establishmentId: clinique.id, grant: false });
    await addAdmin(runtime, REGION, chu.id, admin.identifier, ACTOR);
    await allowApplication(runtime, REGION, chu.id, 'opendrp', ACTOR);
    const pneumo = await createService(runtime, REGION, chu.id, { name: 'Pneumologie', code: 'PNEUMO' }, ACTOR);
    await grantToService(runtime, REGION, pneumo.id, 'opendrp', ACTOR);
    const elsewhere = await createService(runtime, REGION, clinique.id, { name: 'Accueil' }, ACTOR);
    const adminCert = await gw.personalCertificate(admin);

    const origin = `https://${CONSOLE}:${gw.listeners.gatewayPort}`;
    const context = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      viewport: { width: 1280, height: 900 },
      clientCertificates: [{ origin, cert: Buffer.from(adminCert.certPem), key: Buffer.from(adminCert.keyPem) }],
    });
    try {
      const page = await context.newPage();
      await page.goto(`${origin}/personnes`);
      expect(await page.inputValue('#identifier')).toBe(admin.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(`${origin}/personnes`);
      expect(await page.textContent('h1')).toBe('Personnes de l’établissement');
      // Only the CHU's people: the administrator, not Paul of the clinic.
      expect(await page.locator('tr[data-person]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-person')))).toEqual([admin.identifier]);
      expect(await accessibilityProblems(page)).toEqual([]);

      // Invite a nurse.
      await page.getByRole('link', { name: 'Inviter une personne' }).click();
      await page.getByLabel('Prénom').fill('Inès');
      await page.getByLabel('Nom', { exact: true }).fill('Benali');
      await page.getByLabel('Adresse électronique').fill('ines.benali@chu-dijon.example.fr');
      await page.getByLabel('Fonction').fill('Infirmière');
      await page.getByRole('button', { name: 'Envoyer l’invitation' }).click();
      await page.waitForURL(/\/personnes\/[^/]+\?ok=done$/);
      const inesId = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
      const ines = (await runtime.storage.users.findById(inesId))!;
      expect(ines.establishmentId).toBe(chu.id);
      expect(ines.status).toBe('provisional');

      // Attach her to Pneumologie: the page says where OpenDRP comes from.
      await page.getByLabel('Service', { exact: true }).selectOption({ label: 'Pneumologie' });
      await page.getByRole('button', { name: 'Rattacher au service' }).click();
      await page.waitForURL(`${origin}/personnes/${inesId}?ok=done`);
      expect(await page.textContent('tr[data-access="opendrp"]')).toContain('Service Pneumologie');
      expect(await accessibilityProblems(page)).toEqual([]);
      // The README's "establishment administrator's day" (npm run screenshots writes them to docs/screenshots/).
      await page.screenshot({ path: `${SCREENSHOTS}establishment-person.png`, fullPage: true });
      await page.goto(`${origin}/services/${pneumo.id}`);
      await page.screenshot({ path: `${SCREENSHOTS}establishment-service.png`, fullPage: true });
      await page.goto(`${origin}/personnes`);
      await page.screenshot({ path: `${SCREENSHOTS}establishment-people.png`, fullPage: true });
      await page.goto(`${origin}/personnes/${inesId}`);

      // She activates her account (the portal's first login, done here directly) and gets a certificate.
      const now = gw.clock.now().getTime();
      await runtime.storage.users.setPassword(ines.id, await hashPassword(PASSWORD), now, null);
      expect(await runtime.storage.users.activate(ines.id, { givenName: ines.givenName, familyName: ines.familyName, profession: 'Infirmière', rpps: null }, now)).toBe(true);
      const inesCert = await gw.personalCertificate(ines);
      expect(await runtime.storage.grants.listByUser(ines.id)).toEqual([]);
      const { cookies } = await signIn(gw, inesCert);
      const reached = await gw.request({ path: '/', cert: inesCert, cookies });
      expect(reached.status).toBe(200);
      expect(reached.body).toContain(ines.identifier);

      // Removed from the service by the administrator: the next request is refused.
      await page.getByRole('button', { name: 'Retirer du service Pneumologie' }).click();
      await page.waitForURL(`${origin}/personnes/${inesId}?ok=done`);
      expect(await page.locator('tr[data-access="opendrp"]').count()).toBe(0);
      const refused = await gw.request({ path: '/', cert: inesCert, cookies });
      expect(refused.status).toBe(403);
      const memberRows = await runtime.storage.audit.list({ subject: ines.identifier });
      expect(memberRows.filter((e) => e.actor === admin.identifier).map((e) => e.action)).toEqual(expect.arrayContaining(['person.invite', 'service.member.add', 'service.member.remove']));

      // Another establishment's person, service and the cell's pages: not found, audited.
      const before = (await runtime.storage.audit.list({ action: 'establishment.scope', actor: admin.identifier })).length;
      for (const path of [`/personnes/${outsider.id}`, `/services/${elsewhere.id}`, '/inscriptions', `/etablissements/${clinique.id}/delegation`]) {
        const response = await page.goto(`${origin}${path}`);
        expect(response?.status(), path).toBe(404);
        expect(await page.textContent('main')).not.toContain('Ailleurs');
      }
      // A forged POST with a valid form token: refused, Paul untouched.
      await page.goto(`${origin}/personnes`);
      const csrf = csrfOf(await page.content());
      const forged = await page.request.post(`${origin}/personnes/${outsider.id}/desactiver`, { form: { csrf }, maxRedirects: 0 });
      expect(forged.status()).toBe(404);
      const forgedMember = await page.request.post(`${origin}/services/${pneumo.id}/membres`, { form: { csrf, person: outsider.id }, maxRedirects: 0 });
      expect(forgedMember.status()).toBe(404);
      expect((await runtime.storage.users.findById(outsider.id))!.status).toBe('active');
      expect(await runtime.storage.services.membershipsOf(outsider.id)).toEqual([]);
      const scoped = await runtime.storage.audit.list({ action: 'establishment.scope', actor: admin.identifier });
      expect(scoped.length - before).toBeGreaterThanOrEqual(6);
      expect(scoped.every((e) => e.outcome === 'failure' && e.reason === 'outside_establishment')).toBe(true);

      // The admin API is the cell's: refused with the administrator's own certificate, audited.
      const api = await gw.request({ host: CONSOLE, path: `/api/v1/people/${outsider.id}`, cert: adminCert, headers: { accept: 'application/json' } });
      expect(api.status).toBe(403);
      expect(JSON.parse(api.body).error).toBe('coordinator_certificate_required');
      const apiRows = await runtime.storage.audit.list({ action: 'api.request', actor: admin.identifier });
      expect(apiRows[0]).toMatchObject({ outcome: 'failure', reason: 'not_coordinator' });
    } finally {
      await context.close();
    }
  });
});
