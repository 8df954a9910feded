/**
 * Pro Santé Connect in a real Chromium with no client certificate (issue 12): an application
 * that allows PSC shows "Se connecter avec Pro Santé Connect"; the click goes to the provider
 * (a real oidc-provider over TLS), the national identifier is typed on its sign-in page, and the
 * browser comes back through the gateway to the application, which receives auth_method
 * pro-sante-connect. Signing out on our side ends our session and goes through the provider's
 * end-session page back to our "signed out" page. axe-core checks our pages.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { startDemoApp, type DemoApp } from '../src/demo/app.ts';
import { accessibilityProblems, chromiumArgs, chromiumExecutable } from './helpers/browser.ts';
import { APP_HOST, freePort, startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { startPscProvider, type TestPscProvider } from './helpers/psc-provider.ts';

describe('Pro Santé Connect sign-in in Chromium', () => {
  let gw: TestGateway;
  let psc: TestPscProvider;
  let demo: DemoApp;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    await buildAssets();
    const providerPort = await freePort();
    const demoPort = await freePort();
    const caFile = path.join(tmpdir(), `psc-browser-ca-${providerPort}.pem`);
    gw = await startTestGateway({
      overrides: {
        psc: { enabled: true, issuer: `https://localhost:${providerPort}`, clientId: 'passerelle-test', clientSecret: 'psc-test-client-secret-0123456789abcdef', caFile, acrValues: 'eidas1' },
        applications: [{ id: 'opendrp', name: 'OpenDRP', host: APP_HOST, upstream: `http://127.0.0.1:${demoPort}`, signIn: { methods: ['personal-certificate', 'pro-sante-connect'] } }],
      },
    });
    writeFileSync(caFile, gw.runtime.pki.chainPem);
    demo = await startDemoApp({ port: demoPort, jwksUrl: `https://127.0.0.1:${gw.listeners.publicPort}/.well-known/jwks.json`, issuer: gw.config.publicUrl, audience: 'opendrp', caPem: gw.runtime.pki.chainPem, clock: gw.clock });
    origin = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
    psc = await startPscProvider({
      port: providerPort,
      certPem: gw.runtime.pki.server.chainPem,
      keyPem: gw.runtime.pki.server.keyPem,
      redirectUris: [`${origin}/.passerelle/psc/callback`],
      postLogoutRedirectUris: [`${origin}/.passerelle/psc/logged-out`],
    });
    psc.interactive = true;
    // The provider listens on 127.0.0.1 as `localhost`; the application host is a *.localhost name.
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs(APP_HOST, 'localhost') });
  });

  afterAll(async () => {
    await browser?.close();
    await psc?.close();
    await demo?.close();
    await gw?.close();
  });

  it('clicks "Se connecter avec Pro Santé Connect", signs in at the provider and lands on the application; signs out through the provider', async () => {
    const rpps = `10${String(Date.now() % 1_000_000_000).padStart(9, '0')}`;
    const { user } = await gw.runtime.accounts.createUser(
      { givenName: 'Claire', familyName: 'Fontaine', email: 'claire.fontaine@example.org', establishmentId: null, password: 'correct horse battery staple', rpps },
      { name: 'test', ip: null },
    );
    await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'test', ip: null });
    psc.nextAccount = { rpps, givenName: 'Claire', familyName: 'Fontaine', professionCode: '10' };

    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (m) => {
        if (m.type() === 'error' && /Content Security Policy|Refused to/.test(m.text())) problems.push(m.text());
      });

      // No certificate, no session: the application's sign-in page offers Pro Santé Connect.
      const first = await page.goto(`${origin}/dossier?patient=42`);
      expect(first!.status()).toBe(200);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();

      // The provider's sign-in page: an unknown national identifier is refused there, the right one signs in.
      await page.waitForURL((url) => url.origin === psc.issuer && url.pathname.startsWith('/interaction/'));
      await page.getByLabel('Identifiant national').fill('899999999999');
      await page.getByRole('button', { name: 'Valider' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Identifiant national inconnu');
      await page.getByLabel('Identifiant national').fill(`8${rpps}`);
      await page.getByRole('button', { name: 'Valider' }).click();

      // Back through the gateway's callback to the page first asked for, on the application.
      await page.waitForURL((url) => url.origin === origin && url.pathname === '/dossier');
      expect(new URL(page.url()).searchParams.get('patient')).toBe('42');
      const claims = page.locator('table', { hasText: 'Assertion vérifiée' });
      expect(await claims.locator('tr', { has: page.locator('th', { hasText: /^auth_method$/ }) }).locator('td').textContent()).toBe('pro-sante-connect');
      expect(await claims.locator('tr', { has: page.locator('th', { hasText: /^preferred_username$/ }) }).locator('td').textContent()).toBe(user.identifier);
      const whoami = await page.goto(`${origin}/api/whoami`);
      const body = (await whoami!.json()) as { claims: Record<string, unknown> };
      expect(body.claims).toMatchObject({ sub: user.id, auth_method: 'pro-sante-connect', acr: 'eidas1' });
      expect(body.claims.cnf).toBeUndefined();

      // Sign out here: our session ends, the provider's end-session page, then our "signed out" page.
      await page.goto(`${origin}/.passerelle/logout`);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL((url) => url.origin === psc.issuer);
      await page.getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL((url) => url.origin === origin && url.pathname === '/.passerelle/psc/logged-out');
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Déconnexion effectuée');
      // The browser's cookie no longer opens anything.
      const after = await page.evaluate(async () => {
        const response = await fetch('/api/whoami', { headers: { accept: 'application/json' } });
        return { status: response.status, body: (await response.json()) as unknown };
      });
      expect(after).toEqual({ status: 401, body: { error: 'authentication_required' } });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
