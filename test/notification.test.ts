/**
 * Mail templates, the withdrawal PDF and the file transport. The PDF is read with PDF.js
 * (test/helpers/pdf.ts); the .eml with the same MIME parser the SMTP test server uses.
 */
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransport, renderMail, renderWithdrawalPdf, type MailTemplateName, type MailTemplates } from '../src/notification/index.ts';
import type { WithdrawalPdfInput } from '../src/notification/pdf.ts';
import { PasserelleError } from '../src/shared/errors.ts';
import { pdfEncryption, readPdfText } from './helpers/pdf.ts';
import { parseMail } from './helpers/smtp.ts';

const EXPIRES = Date.UTC(2026, 1, 14, 9, 0, 0); // 10:00 in Paris (winter time)
const CODE = 'xqvAux7s';
const PDF_PASSWORD = 'Kp4mZ7wQ9rTb';

const PDF_INPUT: WithdrawalPdfInput = {
  lang: 'fr',
  platformName: 'ENRS Bourgogne-Franche-Comté',
  holderName: 'Hélène Lefèvre',
  label: 'Cabinet — poste accueil',
  withdrawalUrl: 'https://portail.esante.localhost/retrait',
  withdrawalIdentifier: 'helene.lefevre@esante.localhost',
  code: CODE,
  expiresAt: EXPIRES,
  password: PDF_PASSWORD,
};

const pdf = await renderWithdrawalPdf(PDF_INPUT);

/** One valid data set per template, with values easy to find in the output. */
function samples(): { [K in MailTemplateName]: MailTemplates[K] } {
  return {
    'registration.received': { givenName: 'Hélène', familyName: 'Lefèvre' },
    'registration.approved': { givenName: 'Hélène', identifier: 'helene.lefevre', provisionalPassword: 'Prov1s0ire-Pw', portalUrl: 'https://portail.esante.localhost/', expiresAt: EXPIRES },
    invitation: { givenName: 'Hélène', identifier: 'helene.lefevre', provisionalPassword: 'Inv1tation-Pw', portalUrl: 'https://portail.esante.localhost/', expiresAt: EXPIRES, reminder: 1 },
    'registration.rejected': { givenName: 'Hélène', reason: 'Établissement hors région' },
    'withdrawal.document': {
      holderName: 'Hélène Lefèvre',
      label: 'Cabinet — poste accueil',
      pdfBase64: pdf.toString('base64'),
      withdrawalUrl: 'https://portail.esante.localhost/retrait',
      expiresAt: EXPIRES,
      collective: false,
    },
    'withdrawal.password': { holderName: 'Hélène Lefèvre', label: 'Cabinet — poste accueil', pdfPassword: PDF_PASSWORD },
    'certificate-request.rejected': { holderName: 'Hélène Lefèvre', label: 'Poste 3', reason: 'Poste déjà équipé' },
    'access.granted': { givenName: 'Hélène', applicationName: 'OpenDRP', applicationUrl: 'https://opendrp.localhost/' },
    'access.rejected': { givenName: 'Hélène', applicationName: 'OpenDRP', reason: 'Réservé aux kinésithérapeutes' },
    'password-reset.link': { givenName: 'Hélène', identifier: 'helene.lefevre', resetUrl: 'https://portail.esante.localhost/mot-de-passe-oublie/choisir?jeton=abc123', expiresAt: EXPIRES },
    'password-reset.done': { givenName: 'Hélène', identifier: 'helene.lefevre', portalUrl: 'https://portail.esante.localhost/connexion', changedAt: EXPIRES },
    'account.unlocked': { givenName: 'Hélène', identifier: 'helene.lefevre', provisionalPassword: 'Unl0ck-Pw-7', portalUrl: 'https://portail.esante.localhost/', expiresAt: EXPIRES },
    'email-change.confirm': { givenName: 'Hélène', confirmUrl: 'https://portail.esante.localhost/compte/adresse?jeton=abc123', expiresAt: EXPIRES },
    'email-change.notice': { givenName: 'Hélène', newEmail: 'h.lefevre@nouveau.example.test' },
    'renewal.notice': { holderName: 'Hélène Lefèvre', label: 'Poste 3', serial: '0a1b2c3d', notAfter: EXPIRES, renewUrl: 'https://console.localhost/.passerelle/renouveler', collective: false },
    'certificate.revoked': { holderName: 'Hélène Lefèvre', label: 'Poste 3', serial: '0a1b2c3d', reason: 'keyCompromise' },
  };
}

/** Rendered, with the text part unwrapped (lines are folded at 76 characters) for `toContain`. */
function render<T extends MailTemplateName>(template: T, lang: 'fr' | 'en', data: MailTemplates[T]) {
  const mail = renderMail(template, lang, data);
  return { ...mail, wrapped: mail.text, text: mail.text.replace(/\n */g, ' ') };
}

describe('mail templates', () => {
  const data = () => samples();
  const names = Object.keys(samples()) as MailTemplateName[];

  it.each(names.flatMap((name) => [[name, 'fr'] as const, [name, 'en'] as const]))('%s (%s) renders a text and an HTML part', (name, lang) => {
    const mail = render(name, lang, data()[name]);
    expect(mail.subject).toMatch(/^\[Passerelle\] \S/);
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.html.startsWith('<!doctype html><html lang="' + lang + '">')).toBe(true);
    expect(mail.text).not.toContain('undefined');
    expect(mail.html).not.toContain('undefined');
    // Every string value shows in both parts, except the PDF (an attachment) and the flag.
    for (const [key, value] of Object.entries(data()[name])) {
      if (key === 'pdfBase64' || typeof value !== 'string' || key === 'reason') continue;
      expect(mail.text, `${key} in text`).toContain(value);
      expect(mail.html, `${key} in html`).toContain(value.replace(/&/g, '&amp;'));
    }
  });

  it('speaks French by default wording and English when asked', () => {
    const fr = render('registration.approved', 'fr', data()['registration.approved']);
    const en = render('registration.approved', 'en', data()['registration.approved']);
    expect(fr.subject).toBe('[Passerelle] Votre compte est créé');
    expect(fr.text).toContain('Bonjour Hélène,');
    expect(fr.text).toContain('Identifiant\u00a0: helene.lefevre');
    expect(fr.text).toContain('Mot de passe provisoire\u00a0: Prov1s0ire-Pw');
    expect(fr.text).toContain('14 février 2026 à 10:00 (heure de Paris)');
    expect(en.subject).toBe('[Passerelle] Your account has been created');
    expect(en.text).toContain('Identifier: helene.lefevre');
    expect(en.text).toContain('14 February 2026 at 10:00 (Paris time)');
  });

  it('never puts the PDF password and the document in the same mail', () => {
    const document = render('withdrawal.document', 'fr', data()['withdrawal.document']);
    const password = render('withdrawal.password', 'fr', data()['withdrawal.password']);
    expect(document.attachments).toHaveLength(1);
    expect(document.attachments[0]!.filename).toBe('retrait-certificat.pdf');
    expect(document.attachments[0]!.contentType).toBe('application/pdf');
    expect(document.attachments[0]!.content.equals(pdf)).toBe(true);
    for (const part of [document.text, document.html]) expect(part).not.toContain(PDF_PASSWORD);
    // The code lives only inside the encrypted PDF.
    for (const part of [document.text, document.html, password.text, password.html]) expect(part).not.toContain(CODE);
    expect(pdf.includes(CODE)).toBe(false);
    expect(password.attachments).toHaveLength(0);
    expect(password.text).toContain(PDF_PASSWORD);
    expect(document.subject).not.toBe(password.subject);
  });

  it('addresses a collective withdrawal to the establishment referent', () => {
    const mail = render('withdrawal.document', 'fr', { ...data()['withdrawal.document'], holderName: 'CHU de Dijon', label: 'Accueil urgences', collective: true });
    expect(mail.text).toContain('certificat collectif');
    expect(mail.text).toContain('CHU de Dijon');
    expect(mail.text).toContain('référent');
    expect(mail.wrapped.startsWith('Bonjour,\n\n')).toBe(true);
  });

  it('escapes data in the HTML part and links only web URLs', () => {
    const mail = render('access.granted', 'fr', { givenName: '<img src=x onerror=alert(1)>', applicationName: 'Opendrp & "co"', applicationUrl: 'javascript:alert(1)' });
    expect(mail.html).not.toContain('<img');
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)>');
    expect(mail.html).toContain('Opendrp &amp; &quot;co&quot;');
    expect(mail.html).not.toMatch(/href="javascript:/i);
    expect(mail.text).toContain('<img src=x onerror=alert(1)>'); // the text part is plain text
    const ok = render('access.granted', 'fr', { givenName: 'A', applicationName: 'B', applicationUrl: 'https://opendrp.localhost/?a=1&b=2' });
    expect(ok.html).toContain('<a href="https://opendrp.localhost/?a=1&amp;b=2">');
  });

  it('keeps the subject on one line whatever the data', () => {
    const mail = render('access.rejected', 'en', { givenName: 'A', applicationName: 'App\r\nBcc: victim@example.test', reason: 'no' });
    expect(mail.subject).toBe('[Passerelle] Access to App Bcc: victim@example.test not granted');
  });

  it('applies French typography to the wording, not to links', () => {
    const mail = render('email-change.confirm', 'fr', data()['email-change.confirm']);
    expect(mail.wrapped).toContain('Confirmer cette adresse\u00a0:\nhttps://portail.esante.localhost/compte/adresse?jeton=abc123');
    expect(mail.wrapped.split('\n').every((line) => line.length <= 76 || line.startsWith('https://'))).toBe(true);
    expect(mail.text).not.toMatch(/ [:;?!]/);
  });

  it('words revocation reasons, and tells a renewed certificate apart', () => {
    const revoked = render('certificate.revoked', 'fr', data()['certificate.revoked']);
    expect(revoked.subject).toBe('[Passerelle] Certificat révoqué');
    expect(revoked.text).toContain('clé compromise');
    const replaced = render('certificate.revoked', 'en', { ...data()['certificate.revoked'], reason: 'superseded' });
    expect(replaced.subject).toBe('[Passerelle] Certificate replaced');
    const free = render('certificate.revoked', 'en', { ...data()['certificate.revoked'], reason: 'Machine volée' });
    expect(free.text).toContain('Machine volée');
  });

  it('refuses data that does not fit the template', () => {
    const fails = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        return error instanceof PasserelleError ? error.code : 'other';
      }
      return 'none';
    };
    const approved = data()['registration.approved'];
    expect(fails(() => renderMail('registration.approved', 'fr', { ...approved, expiresAt: 'soon' as unknown as number }))).toBe('mail_invalid');
    expect(fails(() => renderMail('registration.approved', 'fr', { ...approved, identifier: undefined as unknown as string }))).toBe('mail_invalid');
    expect(fails(() => renderMail('nope' as MailTemplateName, 'fr', approved))).toBe('mail_invalid');
    expect(fails(() => renderMail('registration.approved', 'de' as 'fr', approved))).toBe('mail_invalid');
    expect(fails(() => renderMail('withdrawal.document', 'fr', { ...data()['withdrawal.document'], pdfBase64: Buffer.from('hello').toString('base64') }))).toBe('mail_invalid');
    expect(fails(() => renderMail('registration.approved', 'fr', approved))).toBe('none');
  });
});

describe('withdrawal PDF', () => {
  it('is encrypted with AES-256 and allows printing only', async () => {
    expect(await pdfEncryption(pdf)).toBe('yes (V5 R5 AESV3 256-bit)');
    const seen = await pdfEncryption(pdf, PDF_PASSWORD);
    expect(seen).toContain('algorithm:AES-256');
    expect(seen).toContain('print:yes');
    expect(seen).toContain('copy:no');
    expect(seen).toContain('change:no');
  });

  it('cannot be read without its password', async () => {
    await expect(readPdfText(pdf, 'not-the-password')).rejects.toThrow(/Incorrect password/);
    await expect(readPdfText(pdf, '')).rejects.toThrow(/Incorrect password/);
    for (const secret of [CODE, PDF_INPUT.withdrawalIdentifier, 'Retrait de votre certificat', 'retrait']) expect(pdf.includes(secret)).toBe(false);
  });

  it('holds the link, the identifier, the code and the steps', async () => {
    const text = await readPdfText(pdf, PDF_PASSWORD);
    expect(text).toContain('ENRS Bourgogne-Franche-Comté');
    expect(text).toContain('Retrait de votre certificat');
    expect(text).toContain('ce document confidentiel ne doit en aucun cas être transmis');
    expect(text).toContain('Hélène Lefèvre');
    expect(text).toContain('Cabinet — poste accueil');
    expect(text).toContain('https://portail.esante.localhost/retrait');
    expect(text).toMatch(/Identifiant de retrait\s+helene\.lefevre@esante\.localhost/);
    expect(text).toMatch(/Code de retrait\s+xqvAux7s/);
    expect(text).toContain('« J\'ai reçu un code de retrait »');
    expect(text).toContain('14 février 2026 à 10:00 (heure de Paris)');
    expect(text).toMatch(/1\. .*\n(.*\n)*2\. .*\n(.*\n)*3\. /);
  });

  it('speaks to the referent for a collective certificate: a machine and an establishment, never "votre" access or a login identifier', async () => {
    const collective = await renderWithdrawalPdf({ ...PDF_INPUT, collective: true, holderName: 'Centre hospitalier de Dole', withdrawalIdentifier: 'poste-74186b8e@esante.localhost' });
    const text = (await readPdfText(collective, PDF_PASSWORD)).replace(/\s+/g, ' ');
    expect(text).toContain('Retrait du certificat collectif d’un poste partagé');
    expect(text).toContain('Établissement : Centre hospitalier de Dole');
    expect(text).toContain('référent de l’établissement');
    expect(text).toContain('jamais une personne');
    expect(text).not.toContain('votre espace professionnel');
    expect(text).not.toContain('Votre identifiant de connexion');
    expect(text).toContain('ne sont ni un identifiant ni un mot de passe de connexion');
    const mail = renderMail('withdrawal.document', 'fr', { ...samples()['withdrawal.document'], collective: true, label: 'Accueil urgences' });
    expect(mail.subject.replace(/[\u00a0\u202f]/g, ' ')).toMatch(/Retrait du certificat collectif du poste « Accueil urgences » \(document 1\/2\)$/);
    expect(mail.subject).not.toContain('votre');
  });

  it('comes in English, with a fresh owner password each time', async () => {
    const en = await renderWithdrawalPdf({ ...PDF_INPUT, lang: 'en', password: 'another-Passw0rd' });
    const text = await readPdfText(en, 'another-Passw0rd');
    expect(text).toContain('Collecting your certificate');
    expect(text).toContain('I was given a withdrawal code');
    expect(text).toContain(CODE);
    await expect(readPdfText(en, PDF_PASSWORD)).rejects.toThrow(/Incorrect password/);
    // The owner password is random: the /O entries of two documents differ.
    const owner = (doc: Buffer) => /\/O\s*<([0-9a-fA-F]+)>/.exec(doc.toString('latin1'))?.[1];
    const again = await renderWithdrawalPdf(PDF_INPUT);
    expect(owner(pdf)).toBeDefined();
    expect(owner(again)).not.toBe(owner(pdf));
  });
});

describe('file transport', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'passerelle-mail-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one parseable .eml per mail, readable by its owner only', async () => {
    const transport = createTransport({ smtpUrl: null, dataDir: dir });
    expect(transport.kind).toBe('files');
    const rendered = render('withdrawal.document', 'fr', samples()['withdrawal.document']);
    await transport.send({ from: 'Passerelle <no-reply@esante.localhost>', to: 'helene@example.test', ...rendered });
    await transport.send({ from: 'Passerelle <no-reply@esante.localhost>', to: 'helene@example.test', ...render('withdrawal.password', 'fr', samples()['withdrawal.password']) });
    transport.close();

    const files = (await readdir(path.join(dir, 'mail'))).sort();
    expect(files).toHaveLength(2);
    expect(files.every((f) => f.endsWith('.eml'))).toBe(true);
    const mails = await Promise.all(files.map(async (f) => parseMail(await readFile(path.join(dir, 'mail', f)))));
    const document = mails.find((m) => m.attachments.length === 1)!;
    expect(document.subject).toBe('[Passerelle] Retrait de votre certificat (document 1/2)');
    expect(document.headers.get('to')).toBe('helene@example.test');
    expect(document.from).toContain('no-reply@esante.localhost');
    expect(document.text).toContain('https://portail.esante.localhost/retrait');
    expect(document.html).toContain('<a href="https://portail.esante.localhost/retrait">');
    expect(document.attachments[0]!.filename).toBe('retrait-certificat.pdf');
    expect(document.attachments[0]!.content.equals(pdf)).toBe(true);
    const password = mails.find((m) => m.attachments.length === 0)!;
    expect(password.text).toContain(PDF_PASSWORD);
    // The decrypted attachment gives the code back.
    expect(await readPdfText(document.attachments[0]!.content, PDF_PASSWORD)).toContain(CODE);
    for (const f of files) expect((await stat(path.join(dir, 'mail', f))).mode & 0o777).toBe(0o600);
  });
});

describe('renewal notice', () => {
  it('tells the referent of a collective certificate to ask the cell, not to renew from the workstation', () => {
    const data = { holderName: 'Clinique du Parc', label: 'Poste accueil', serial: '0a1b', notAfter: Date.UTC(2027, 0, 1), renewUrl: 'https://localhost:8443/', collective: true };
    const fr = renderMail('renewal.notice', 'fr', data);
    expect(fr.text).toContain('ne se renouvelle pas depuis le poste');
    expect(fr.text).not.toContain('aucun nouveau code de retrait');
    const personal = renderMail('renewal.notice', 'en', { ...data, collective: false });
    expect(personal.text).toContain('no new withdrawal code is needed');
  });
});
