/**
 * Help with its FAQ, the accessibility statement, the legal notice and the personal-data notice: in a real
 * Chromium, each exists, is linked from every footer (and the personal-data one from the registration form),
 * and passes axe-core. The configured branding (name, logo, colours, support e-mail and phone) shows on them.
 */
import { accessibilityProblems, chromiumArgs, chromiumExecutable } from './helpers/browser.ts';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startTestGateway, type TestGateway } from './helpers/gateway.ts';
import { renderMail } from '../src/notification/index.ts';

const LOGO_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#006a4e"/></svg>';
const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-site-'));
const LOGO = path.join(work, 'logo.svg');
writeFileSync(LOGO, LOGO_SVG);

describe('public information pages in Chromium', () => {
  let gw: TestGateway;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  const violations: string[] = [];

  beforeAll(async () => {
    gw = await startTestGateway({
      overrides: {
        branding: { platformName: 'e-Santé BFC', logo: LOGO, colors: { primary: '#006a4e', primaryHover: '#004d38', link: '#005a42' }, publisher: 'GRADeS BFC', host: 'Hébergeur HDS Exemple', dpoEmail: 'dpo@esante-bfc.example' },
        support: { contact: 'la cellule de coordination', name: 'la cellule de coordination', email: 'coordination@esante-bfc.example', phone: '03 80 00 00 00' },
      },
    });
    base = `https://localhost:${gw.listeners.publicPort}`;
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: chromiumArgs() });
    context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'fr-FR' });
  });
  afterAll(async () => {
    await browser?.close();
    await gw?.close();
    rmSync(work, { recursive: true, force: true });
  });

  async function open(pathName: string): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    const response = await page.goto(`${base}${pathName}`);
    expect(response?.status(), pathName).toBe(200);
    return page;
  }

  const PAGES = [
    { path: '/aide', h1: 'e-Santé BFC\u00a0: accès sécurisé aux applications de santé' },
    { path: '/accessibilite', h1: 'Déclaration d’accessibilité' },
    { path: '/mentions-legales', h1: 'Mentions légales' },
    { path: '/donnees-personnelles', h1: 'Données personnelles' },
  ];

  for (const { path: pathName, h1 } of PAGES) {
    it(`${pathName}: exists, branded, linked from the footer, passes axe-core`, async () => {
      const page = await open(pathName);
      expect(await page.textContent('h1')).toBe(h1);
      expect(await page.title()).toBe(`${h1} · e-Santé BFC`);
      expect(await page.textContent('.brand-name')).toBe('e-Santé BFC');
      // The logo and the colours are same-origin files: loaded under the strict CSP.
      expect(await page.$eval('.brand-logo', (img) => (img as HTMLImageElement).naturalWidth)).toBe(40);
      const primary = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--primary').trim());
      expect(primary).toBe('#006a4e');
      const footer = await page.$$eval('footer a', (links) => links.map((a) => [a.textContent, new URL((a as HTMLAnchorElement).href).pathname]));
      expect(footer).toEqual([
        ['Aide', '/aide'],
        ['Accessibilité\u00a0: non conforme', '/accessibilite'],
        ['Mentions légales', '/mentions-legales'],
        ['Données personnelles', '/donnees-personnelles'],
      ]);
      expect(await accessibilityProblems(page)).toEqual([]);
      await page.close();
    });
  }

  it('help answers the calls the cell gets, with a clickable e-mail and phone', async () => {
    const page = await open('/aide');
    const questions = await page.$$eval('details summary', (s) => s.map((e) => e.textContent));
    expect(questions).toEqual(expect.arrayContaining(['Le navigateur ne me propose pas mon certificat', 'J’ai perdu le document PDF ou le courriel qui contient son mot de passe', 'Mon code de retrait est bloqué ou a expiré', 'J’ai un nouvel ordinateur']));
    await page.getByText('Mon code de retrait est bloqué ou a expiré').click();
    expect(await page.isVisible('#faq-locked p')).toBe(true);
    expect(await page.getAttribute('#contact-title + p + dl a[href^="mailto:"]', 'href')).toBe('mailto:coordination@esante-bfc.example');
    expect(await page.getAttribute('a[href^="tel:"]', 'href')).toBe('tel:0380000000');
    await page.close();
  });

  it('the legal pages name the publisher, the host and the DPO; the registration form links the personal-data notice', async () => {
    const legal = await open('/mentions-legales');
    expect(await legal.textContent('main')).toContain('GRADeS BFC');
    expect(await legal.textContent('main')).toContain('Hébergeur HDS Exemple');
    const data = await open('/donnees-personnelles');
    expect(await data.textContent('main')).toContain('article 13');
    expect(await data.getAttribute('a[href="mailto:dpo@esante-bfc.example"]', 'href')).not.toBeNull();
    const registration = await open('/inscription');
    const link = registration.locator('main form a', { hasText: 'Données personnelles' });
    expect(new URL((await link.getAttribute('href'))!).pathname).toBe('/donnees-personnelles');
    expect(violations).toEqual([]);
  });

  it('mails carry the platform name and the support contact', () => {
    const mail = renderMail('registration.received', 'fr', { givenName: 'Hélène', familyName: 'Lefèvre' }, { platformName: 'e-Santé BFC', supportEmail: 'coordination@esante-bfc.example', supportPhone: '03 80 00 00 00' });
    expect(mail.subject.startsWith('[e-Santé BFC] ')).toBe(true);
    expect(mail.text).toContain('envoyé automatiquement par e-Santé BFC');
    expect(mail.html).toContain('03 80 00 00 00');
    expect(mail.text.replace(/\s+/g, ' ')).toContain('03 80 00 00 00');
  });
});
