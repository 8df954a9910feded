/**
 * The portal in a real headless Chromium (never a downloaded one): forms work under the
 * strict CSP with no inline script or style, the error summary takes the focus, and the
 * registration → first login → sign-out path runs as a person would click it.
 */
import { chromiumArgs, chromiumExecutable } from './helpers/browser.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';

const CHROMIUM_ARGS = chromiumArgs();

describe('portal in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const violations: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway();
    base = `https://localhost:${gw.listeners.publicPort}`;
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
    // The test CA is not in Chromium's store; the TLS path itself is covered by the HTTP tests.
    context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
  });

  async function open(path: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.goto(`${base}${path}`);
    return page;
  }

  it('registration: errors are summarised and focused, then the corrected form is accepted', async () => {
    const page = await open('/inscription');
    await page.fill('#f-givenName', 'Hélène');
    await page.fill('#f-email', 'helene.lefevre@example.org');
    await page.fill('#f-rpps', '123');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.waitForSelector('#form-errors');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('form-errors');
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.textContent()).toContain('Le formulaire contient 5 erreurs');
    expect(await page.getAttribute('#f-rpps', 'aria-describedby')).toBe('f-rpps-hint f-rpps-error form-errors');
    // What was typed is still there; nothing was saved.
    expect(await page.inputValue('#f-givenName')).toBe('Hélène');
    expect(await gw.runtime.storage.registrations.list()).toHaveLength(0);

    await page.fill('#f-familyName', 'Lefèvre');
    await page.fill('#f-rpps', '10101010101');
    await page.selectOption('#f-establishment', 'autre');
    await page.fill('#f-establishmentName', 'Cabinet des Lilas');
    await page.selectOption('#f-application', 'opendrp');
    await page.fill('#f-reason', 'Accès au logiciel OpenDRP de réhabilitation respiratoire');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.waitForURL(`${base}/inscription/envoyee`);
    expect(await page.textContent('main')).toContain('Aucun compte n’est créé tant que la cellule de coordination n’a pas validé la demande.');
    const [registration] = await gw.runtime.storage.registrations.list();
    expect(registration).toMatchObject({ givenName: 'Hélène', familyName: 'Lefèvre', rpps: '10101010101', establishmentName: 'Cabinet des Lilas', status: 'pending' });
    await page.close();
  });

  it('first login: a provisional account chooses its password, accepts the terms, then signs out', async () => {
    const { user, provisionalPassword } = await gw.runtime.accounts.createUser({ givenName: 'Marc', familyName: 'Durand', email: 'marc.durand@example.org' }, { name: 'test' });
    const page = await open('/connexion');
    expect(await page.textContent('#identifier-hint')).toContain('ce n’est pas votre adresse électronique');
    await page.fill('#f-identifier', 'Marc.Durand');
    await page.fill('#f-password', provisionalPassword!);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${base}/premiere-connexion`);

    await page.fill('#f-password', 'azertyuiop2024');
    await page.fill('#f-confirmation', 'azertyuiop2024');
    await page.check('#f-acceptTerms');
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.waitForSelector('#form-errors');
    expect(await page.getAttribute('#f-password', 'aria-invalid')).toBe('true');
    expect((await gw.runtime.storage.users.findById(user.id))!.status).toBe('provisional');

    await page.fill('#f-password', 'le héron pêche au lever du jour');
    await page.fill('#f-confirmation', 'le héron pêche au lever du jour');
    await page.fill('#f-profession', 'Pneumologue');
    await page.check('#f-acceptTerms');
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.waitForURL(`${base}/?ok=activated`);
    expect(await page.getByRole('status').textContent()).toContain('Votre compte est activé');
    expect((await gw.runtime.storage.users.findById(user.id))!).toMatchObject({ status: 'active', profession: 'Pneumologue' });

    await page.getByRole('navigation', { name: 'Espace professionnel' }).getByRole('link', { name: 'Mes certificats' }).click();
    await page.waitForURL(`${base}/certificats`);
    await page.fill('#f-label', 'Cabinet — poste accueil');
    await page.getByRole('button', { name: 'Demander le certificat' }).click();
    await page.waitForURL(`${base}/certificats?ok=certificate_requested`);
    expect(await page.textContent('[data-testid="certificate-requests"]')).toContain('En attente de validation');

    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${base}/connexion?deconnecte=1`);
    await page.goto(`${base}/compte`);
    expect(new URL(page.url()).pathname).toBe('/connexion');
    await page.close();
  });

  it('no page broke the Content-Security-Policy', () => {
    expect(violations).toEqual([]);
  });
});
