/**
 * Screenshots of the main pages for the README (docs/screenshots/*.png), taken in the tests'
 * Chromium (test/helpers/browser.ts) against a throw-away Passerelle: `npm run screenshots`.
 */
import { chromiumArgs, chromiumExecutable, loopbackInNode } from '../test/helpers/browser.ts';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { buildAssets } from './build-assets.ts';
import { APP_HOST, PASSWORD, startTestGateway } from '../test/helpers/gateway.ts';
import { issueWithdrawalCode, withdrawalIdentifier } from '../src/enrollment/withdrawal-codes.ts';

const OUT = path.resolve(import.meta.dirname, '../docs/screenshots');
const ARGS = chromiumArgs(APP_HOST);

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(OUT, `${name}.png`), fullPage: true });
  console.log(`docs/screenshots/${name}.png`);
}

mkdirSync(OUT, { recursive: true });
await buildAssets();
const gw = await startTestGateway();
const restoreLookup = loopbackInNode(APP_HOST);
const browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: ARGS });
try {
  const portal = `https://localhost:${gw.listeners.publicPort}`;
  const viewport = { width: 1100, height: 800 };
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', viewport });
  const page = await context.newPage();

  await page.goto(`${portal}/inscription`);
  await shoot(page, '01-inscription');

  const { user, provisionalPassword } = await gw.runtime.accounts.createUser({ givenName: 'Hélène', familyName: 'Lefèvre', email: 'helene.lefevre@example.org' }, { name: 'screenshots' });
  await page.goto(`${portal}/connexion`);
  await page.fill('#f-identifier', user.identifier);
  await page.fill('#f-password', provisionalPassword!);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${portal}/premiere-connexion`);
  await shoot(page, '02-premiere-connexion');
  await page.fill('#f-password', PASSWORD);
  await page.fill('#f-confirmation', PASSWORD);
  await page.check('#f-acceptTerms');
  await page.getByRole('button', { name: 'Activer mon compte' }).click();
  await page.waitForURL(`${portal}/?ok=activated`);
  await page.goto(`${portal}/certificats`);
  await page.fill('#f-label', 'Cabinet — poste accueil');
  await page.getByRole('button', { name: 'Demander le certificat' }).click();
  await page.waitForURL(/certificats/);
  await shoot(page, '03-certificats');

  const [request] = await gw.runtime.storage.certificateRequests.list({ userId: user.id });
  const now = gw.clock.now().getTime();
  const { code } = await gw.runtime.storage.transaction(async (repos) => {
    await repos.certificateRequests.approve(request!.id, 'screenshots', now);
    return issueWithdrawalCode(repos, { clock: gw.clock, random: gw.runtime.random, validityMs: 30 * 86_400_000 }, request!.id);
  });
  await page.goto(`${portal}/retrait`);
  await page.getByRole('button', { name: 'J’ai reçu un code de retrait' }).click();
  await page.getByRole('button', { name: 'Continuer' }).click();
  await page.getByLabel('Identifiant de retrait', { exact: true }).fill(withdrawalIdentifier(request!, user, gw.config.platformDomain));
  await page.getByLabel('Code de retrait', { exact: true }).fill(code);
  await shoot(page, '04-retrait-code');
  await page.getByRole('button', { name: 'Suivant' }).click();
  await page.waitForSelector('#step-password:not([hidden])', { timeout: 30_000 });
  await shoot(page, '05-retrait-mot-de-passe');

  await gw.runtime.accounts.addGrant(user.id, 'opendrp', { name: 'screenshots' });
  const cert = await gw.personalCertificate((await gw.runtime.storage.users.findById(user.id))!);
  const origin = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
  const workstation = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', viewport, clientCertificates: [{ origin, cert: Buffer.from(cert.certPem), key: Buffer.from(cert.keyPem) }] });
  const app = await workstation.newPage();
  await app.goto(`${origin}/`);
  await app.waitForURL(/login/);
  await shoot(app, '06-passerelle-connexion');
  await app.fill('#password', PASSWORD);
  await app.getByRole('button', { name: 'Se connecter' }).click();
  await app.waitForURL(`${origin}/`);
  await shoot(app, '07-application-demo');

  const anonymous = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR', viewport });
  const denied = await anonymous.newPage();
  await denied.goto(`${origin}/`);
  await shoot(denied, '08-aucun-certificat');
} finally {
  restoreLookup();
  await browser.close();
  await gw.close();
}
