/**
 * The portal warns before the 45-minute idle logout and "Rester connecté" keeps the session: in Chromium,
 * with Playwright's fake browser clock and the server's injected clock (no real waiting, nothing timed).
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { buildAssets } from '../scripts/build-assets.ts';
import { PASSWORD, startTestGateway, type TestGateway } from './helpers/gateway.ts';

const MINUTE = 60_000;

describe('idle-logout warning', () => {
  let gw: TestGateway;
  let browser: Browser;
  beforeAll(async () => {
    await buildAssets();
    gw = await startTestGateway();
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs() });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  it('shows a warning 5 minutes before, and "Rester connecté" keeps the session alive', async () => {
    const user = await gw.user({ grant: false });
    const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
    try {
      const page = await context.newPage();
      await page.clock.install();
      await page.goto(`https://localhost:${gw.listeners.publicPort}/connexion`);
      await page.getByLabel('Identifiant', { exact: true }).fill(user.identifier);
      await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.waitForURL((url) => url.pathname === '/');
      expect(await page.isVisible('#idle-warning')).toBe(false);

      // 41 minutes without activity: the warning, focused, with the minutes left.
      await page.clock.fastForward(41 * MINUTE);
      gw.clock.advance(41 * MINUTE);
      await page.waitForSelector('#idle-warning:not([hidden])');
      expect(await page.textContent('#idle-warning')).toContain('Votre session va bientôt expirer');
      expect(await page.textContent('#idle-warning [data-countdown]')).toBe('4');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('idle-stay');
      expect(await accessibilityProblems(page)).toEqual([]);

      // "Rester connecté": the server sees activity, the warning goes.
      await Promise.all([page.waitForResponse((r) => r.url().endsWith('/compte/session') && r.status() === 200), page.getByRole('button', { name: 'Rester connecté' }).click()]);
      await page.waitForSelector('#idle-warning', { state: 'hidden' });

      // 41 more minutes: 82 since the sign-in, still signed in because of the keep-alive.
      gw.clock.advance(41 * MINUTE);
      const account = await page.goto(`https://localhost:${gw.listeners.publicPort}/compte`);
      expect(new URL(account!.url()).pathname).toBe('/compte');

      // Left alone past the limit: the page goes to the sign-in page, marked expired.
      // The server's clock first: the page goes to the sign-in page as soon as its own clock passes the limit.
      gw.clock.advance(46 * MINUTE);
      await page.clock.fastForward(46 * MINUTE);
      await page.waitForURL((url) => url.pathname === '/connexion');
      expect(page.url()).toContain('expired=1');
    } finally {
      await context.close();
    }
  });
});
