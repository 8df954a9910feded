/**
 * Journey 9 in a real Chromium holding a client certificate (Playwright clientCertificates): the
 * first visit to OpenDRP goes through the gateway login, lands on the first-use page, a wrong
 * legacy password is refused with the attempts left, the right one links the account, and the
 * application then shows the legacy identifier it received. axe-core checks the page.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { hashSync as bcryptHash } from 'bcryptjs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoApp, type DemoApp } from '../src/demo/app.ts';
import { importLegacyAccounts } from '../src/legacy/index.ts';
import { databaseBackends } from './helpers/backends.ts';
import { APP_HOST, PASSWORD, freePort, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CHROMIUM_ARGS = chromiumArgs(APP_HOST);


describe.each(databaseBackends())('first use of OpenDRP with a legacy identifier, in Chromium, on $name', ({ url }) => {
  let gw: TestGateway;
  let upstream: DemoApp;
  let browser: Browser;
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    const port = await freePort();
    gw = await startTestGateway({
      databaseUrl: url,
      overrides: { applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${port}`, legacy: { mode: 'directory' } }] },
    });
    upstream = await startDemoApp({ port, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, caPem: gw.runtime.pki.chainPem, clock: gw.clock });
    await importLegacyAccounts(gw.runtime, 'opendrp', `identifier,display_name,password_hash\nmdurand,Marie Durand,${bcryptHash('Drp-Durand-2015', 4)}\n`, { name: 'test' });
    // Playwright presents client certificates through a proxy in this process, which resolves the host with
    // Node's resolver — and *.localhost does not resolve there (DESIGN.md): point it at loopback.
    restoreLookup = loopbackInNode(APP_HOST);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await upstream?.close();
    await gw?.close();
  });

  it('signs in once with the previous identifier, then OpenDRP receives it', async () => {
    const user = await gw.user({ givenName: 'Marie', familyName: 'Durand' });
    const cert = await gw.personalCertificate(user);
    const origin = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', clientCertificates: [{ origin, cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }] });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
      });

      // The gateway login first (identifier fixed by the certificate), then the first-use page before OpenDRP.
      await page.goto(`${origin}/patients?service=rehab`);
      expect(await page.inputValue('#identifier')).toBe(user.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL(/\/\.passerelle\/ancien-identifiant\?next=/);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Première utilisation d’OpenDRP');
      expect(await page.getByRole('heading', { name: 'Déjà utilisateur d’OpenDRP ?' }).isVisible()).toBe(true);
      expect(await page.getByRole('heading', { name: 'Nouveau sur OpenDRP ?' }).isVisible()).toBe(true);
      expect(await accessibilityProblems(page)).toEqual([]);

      // A wrong password: refused, the attempts left are said, and the identifier stays filled in.
      await page.getByLabel('Ancien identifiant OpenDRP').fill('mdurand');
      await page.getByLabel('Ancien mot de passe OpenDRP').fill('Drp-Durand-2014');
      await page.getByRole('button', { name: 'Relier mon ancien compte' }).click();
      await page.waitForSelector('[role="alert"]');
      expect(await page.textContent('[role="alert"]')).toContain('Ancien identifiant ou mot de passe incorrect.');
      expect(await page.textContent('[role="alert"]')).toContain('il vous reste 4 tentatives');
      expect(await page.inputValue('#legacy-username')).toBe('mdurand');
      expect(await page.getAttribute('#legacy-password', 'aria-invalid')).toBe('true');
      expect(await accessibilityProblems(page)).toEqual([]);

      // The right one: linked, and "continue" opens the page first asked for.
      await page.getByLabel('Ancien mot de passe OpenDRP').fill('Drp-Durand-2015');
      await page.getByRole('button', { name: 'Relier mon ancien compte' }).click();
      await page.waitForSelector('main[data-page="legacy-linked"]');
      expect(await page.textContent('main')).toContain(`Votre ancien identifiant mdurand est relié à votre identifiant ${user.identifier}`);
      await page.getByRole('link', { name: 'Continuer vers OpenDRP' }).click();
      await page.waitForURL(`${origin}/patients?service=rehab`);
      const body = await page.textContent('body');
      expect(body).toContain(`connecté en tant que Marie Durand (${user.identifier})`);
      expect(body).toMatch(/legacy_username\s*"?mdurand/);
      expect(body).toMatch(/X-Passerelle-Legacy-User\s*mdurand/i);

      // Next time: straight in.
      await page.goto(`${origin}/patients`);
      expect(page.url()).toBe(`${origin}/patients`);
      expect(await gw.runtime.storage.legacy.mappingForUser(user.id, 'opendrp')).toMatchObject({ legacyUsername: 'mdurand', status: 'mapped' });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
