/**
 * The whole ENRS journey (DESIGN.md journeys 1–8) as one test, the way people live it: a
 * clinician registers in a real Chromium, the cell approves through the admin API, the mails
 * arrive at a real SMTP server, the PDF opens with the password of the second mail, the
 * withdrawal page makes the key and the .p12 in the browser, and that file — presented by
 * Chromium — opens the application through the gateway with the identifier prefilled.
 */
import { chromiumArgs, chromiumExecutable, loopbackInNode } from './helpers/browser.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAssets } from '../scripts/build-assets.ts';
import { startMailWorker, type MailWorker } from '../src/notification/index.ts';
import { createToken } from '../src/tokens/service.ts';
import { APP_HOST, startTestGateway, type ClientCertificate, type TestGateway } from './helpers/gateway.ts';
import { startSmtpServer, type ReceivedMail, type TestSmtpServer } from './helpers/smtp.ts';
import { readPdfText } from './helpers/pdf.ts';

const CHROMIUM_ARGS = chromiumArgs(APP_HOST);
const EMAIL = 'helene.lefevre@example.org';
const NEW_PASSWORD = 'le héron pêche au lever du jour';
const P12_PASSWORD = 'Fichier-Poste-2026';
const CONSOLE_HOST = 'console.localhost';

/** The value printed after "label :" in a mail's text part. */
function valueAfter(mail: ReceivedMail, label: string): string {
  const match = new RegExp(`${label}\\s*:\\s*(\\S+)`).exec(mail.text.replace(/\u00a0/g, ' '));
  if (!match) throw new Error(`no "${label}" in mail "${mail.subject}"`);
  return match[1]!;
}

describe('the ENRS journey, end to end', () => {
  let gw: TestGateway;
  let smtp: TestSmtpServer;
  let worker: MailWorker;
  let browser: Browser;
  let coordinator: ClientCertificate;
  let token: string;
  const work = mkdtempSync(path.join(os.tmpdir(), 'passerelle-journey-'));
  // Node's resolver here does not map *.localhost to the loopback; Playwright's client-certificate
  // proxy runs in this process and needs it (Chromium gets --host-resolver-rules).
  let restoreLookup = (): void => undefined;

  beforeAll(async () => {
    await buildAssets();
    smtp = await startSmtpServer();
    gw = await startTestGateway({ overrides: { smtp: { url: smtp.url, from: 'Passerelle <no-reply@esante.localhost>' }, mail: { maxAttempts: 8, pollSeconds: 0.05 } } });
    worker = startMailWorker(gw.runtime);
    const { user } = await gw.runtime.accounts.createUser({ givenName: 'Claire', familyName: 'Coordination', email: 'cellule@example.org', role: 'coordinator', password: 'cellule de coordination 21' }, { name: 'test' });
    coordinator = await gw.personalCertificate(user);
    ({ token } = await createToken(gw.runtime, { user, name: 'journey' }, { name: 'test' }));
    restoreLookup = loopbackInNode(APP_HOST);
    browser = await chromium.launch({ executablePath: await chromiumExecutable(), args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    restoreLookup();
    await browser?.close();
    await worker?.stop();
    await gw?.close();
    await smtp?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  /** The cell's scripts: bearer token AND the coordinator's certificate, on the console host. */
  async function api(method: 'GET' | 'POST', apiPath: string, body?: unknown): Promise<Record<string, unknown> & { items?: Array<Record<string, unknown>> }> {
    const response = await gw.request({
      method,
      host: CONSOLE_HOST,
      path: apiPath,
      cert: coordinator,
      headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${method} ${apiPath}: ${response.body}`).toBeLessThan(300);
    return JSON.parse(response.body) as Record<string, unknown>;
  }

  function listOf(result: Record<string, unknown>): Array<Record<string, unknown>> {
    const list = Array.isArray(result) ? result : (Object.values(result).find(Array.isArray) as unknown[] | undefined);
    if (!list) throw new Error(`no list in ${JSON.stringify(result)}`);
    return list as Array<Record<string, unknown>>;
  }

  async function portalPage(context: BrowserContext, pathname: string): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`https://localhost:${gw.listeners.publicPort}${pathname}`);
    return page;
  }

  it('register → approve → first login → requests → approvals → withdrawal → the application', async () => {
    const portal = `https://localhost:${gw.listeners.publicPort}`;
    const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, locale: 'fr-FR' });

    // 1. Registration on the public portal; nothing exists until the cell approves.
    const page = await portalPage(context, '/inscription');
    await page.fill('#f-givenName', 'Hélène');
    await page.fill('#f-familyName', 'Lefèvre');
    await page.fill('#f-email', EMAIL);
    await page.fill('#f-profession', 'Kinésithérapeute');
    await page.selectOption('#f-establishment', 'autre');
    await page.fill('#f-establishmentName', 'Cabinet des Lilas');
    await page.selectOption('#f-application', 'opendrp');
    await page.fill('#f-reason', 'Accès au logiciel OpenDRP de réhabilitation respiratoire');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.waitForURL(`${portal}/inscription/envoyee`);
    expect(await gw.runtime.storage.users.findByIdentifier('helene.lefevre')).toBeUndefined();
    await smtp.waitFor((m) => m.to.includes(EMAIL) && /inscription/i.test(m.subject));

    // 2. The cell approves through the admin API: the answer carries the new identifier.
    const pending = listOf(await api('GET', '/api/v1/registrations?status=pending'));
    const registration = pending.find((r) => r.email === EMAIL);
    expect(registration).toBeDefined();
    const approved = await api('POST', `/api/v1/registrations/${String(registration!.id)}/approve`);
    expect(approved.identifier).toBe('helene.lefevre');

    // 3. The provisional password arrives by mail; first login changes it and activates the account.
    const welcome = await smtp.waitFor((m) => m.to.includes(EMAIL) && valueAfterSafe(m, 'Mot de passe provisoire') !== null);
    expect(valueAfter(welcome, 'Identifiant')).toBe('helene.lefevre');
    const provisional = valueAfter(welcome, 'Mot de passe provisoire');
    await page.goto(`${portal}/connexion`);
    await page.fill('#f-identifier', 'Helene.Lefevre');
    await page.fill('#f-password', provisional);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(`${portal}/premiere-connexion`);
    await page.fill('#f-password', NEW_PASSWORD);
    await page.fill('#f-confirmation', NEW_PASSWORD);
    await page.check('#f-acceptTerms');
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.waitForURL(`${portal}/?ok=activated`);
    expect((await gw.runtime.storage.users.findByIdentifier('helene.lefevre'))?.status).toBe('active');

    // 4. A certificate for this workstation; the access to OpenDRP asked at registration is pending.
    await page.goto(`${portal}/certificats`);
    await page.fill('#f-label', 'Cabinet — poste accueil');
    await page.getByRole('button', { name: 'Demander le certificat' }).click();
    await page.waitForURL(`${portal}/certificats?ok=certificate_requested`);
    await page.goto(`${portal}/applications`);
    expect(await page.getByRole('button', { name: 'Demander l’accès à OpenDRP' }).count()).toBe(0);

    // 5. The cell approves both.
    const certificateRequest = listOf(await api('GET', '/api/v1/certificate-requests?status=pending')).find((r) => r.label === 'Cabinet — poste accueil');
    const accessRequest = listOf(await api('GET', '/api/v1/access-requests?status=pending')).find((r) => r.applicationId === 'opendrp');
    expect(certificateRequest && accessRequest).toBeTruthy();
    const codeIssued = await api('POST', `/api/v1/certificate-requests/${String(certificateRequest!.id)}/approve`);
    expect(codeIssued).not.toHaveProperty('code');
    await api('POST', `/api/v1/access-requests/${String(accessRequest!.id)}/approve`);

    // 6. Two mails: the PDF, then its password. Neither has the code and the password together.
    const documentMail = await smtp.waitFor((m) => m.to.includes(EMAIL) && m.attachments.some((a) => a.filename.endsWith('.pdf')));
    gw.clock.advance(5_000); // the password mail is held back a moment after the document
    const passwordMail = await smtp.waitFor((m) => m.to.includes(EMAIL) && valueAfterSafe(m, 'Mot de passe du document') !== null);
    const pdfPassword = valueAfter(passwordMail, 'Mot de passe du document');
    const pdf = documentMail.attachments.find((a) => a.filename.endsWith('.pdf'))!.content;
    await expect(readPdfText(pdf, 'not-the-password')).rejects.toThrow();
    const pdfText = await readPdfText(pdf, pdfPassword);
    const withdrawalIdentifier = `helene.lefevre@${gw.config.platformDomain}`;
    expect(pdfText).toContain(withdrawalIdentifier);
    expect(pdfText).toContain('/retrait');
    const code = /Code de retrait\s*:?\s*([A-Za-z0-9]{8})\b/.exec(pdfText)?.[1];
    expect(code).toMatch(/^[A-Za-z0-9]{8}$/);
    expect(documentMail.text).not.toContain(code!);
    expect(passwordMail.text).not.toContain(code!);

    // 7. Withdrawal on the workstation: key pair, CSR and .p12 made in the browser.
    await page.goto(`${portal}/retrait`);
    await page.getByRole('button', { name: 'J’ai reçu un code de retrait' }).click();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await page.getByLabel('Identifiant de retrait', { exact: true }).fill(withdrawalIdentifier);
    await page.getByLabel('Code de retrait', { exact: true }).fill(code!);
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.waitForSelector('#step-password:not([hidden])', { timeout: 30_000 });
    await page.getByLabel('Mot de passe du fichier', { exact: true }).fill(P12_PASSWORD);
    await page.getByLabel('Confirmez le mot de passe', { exact: true }).fill(P12_PASSWORD);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Créer et télécharger le fichier' }).click()]);
    const p12File = path.join(work, download.suggestedFilename());
    await download.saveAs(p12File);
    await context.close();

    // 8. openssl reads it with the chosen password; the subject is the account's.
    const certPem = execFileSync('openssl', ['pkcs12', '-in', p12File, '-passin', `pass:${P12_PASSWORD}`, '-nokeys', '-clcerts'], { encoding: 'utf8' });
    expect(certPem).toMatch(/UID\s*=\s*helene\.lefevre/);

    // 9. Chromium presents the file to the gateway: the login form shows the identifier, fixed.
    const origin = `https://${APP_HOST}:${gw.listeners.gatewayPort}`;
    const workstation = await browser.newContext({
      ignoreHTTPSErrors: true,
      locale: 'fr-FR',
      clientCertificates: [{ origin, pfx: readFileSync(p12File), passphrase: P12_PASSWORD }],
    });
    const app = await workstation.newPage();
    await app.goto(`${origin}/`);
    await app.waitForURL(/\/\.passerelle\/login/);
    expect(await app.inputValue('#identifier')).toBe('helene.lefevre');
    expect(await app.getAttribute('#identifier', 'readonly')).not.toBeNull();
    await app.fill('#password', NEW_PASSWORD);
    await app.getByRole('button', { name: 'Se connecter' }).click();
    await app.waitForURL(`${origin}/`);
    expect(await app.textContent('body')).toContain('connecté en tant que Hélène Lefèvre (helene.lefevre)');
    await workstation.close();
  });
});

function valueAfterSafe(mail: ReceivedMail, label: string): string | null {
  try {
    return valueAfter(mail, label);
  } catch {
    return null;
  }
}
