/**
 * Mail templates: French first, English alternative. Each mail has a plain-text and an HTML
 * part built from the same blocks. A withdrawal code and a password never share a mail:
 * 'withdrawal.document' carries the (encrypted) PDF, 'withdrawal.password' its password.
 */
import { PasserelleError } from '../shared/errors.ts';
import { DEFAULT_MAIL_BRAND, renderHtml, renderText, type MailBrand } from './body.tsx';
import { contentEn } from './content.en.ts';
import { contentFr } from './content.fr.ts';
import { frenchTypography } from './format.ts';
import type { Block, MailAttachment, MailContent, MailContents, MailLang, MailTemplateName, MailTemplates, RenderedMail } from './types.ts';

export type { MailAttachment, MailLang, MailTemplateName, MailTemplates, RenderedMail } from './types.ts';
export type { MailBrand } from './body.tsx';

export const WITHDRAWAL_PDF_FILENAME = 'retrait-certificat.pdf';
/** The default subject prefix; a configured platform name replaces "Passerelle". */
export const SUBJECT_PREFIX = '[Passerelle]';

type FieldType = 'string' | 'number' | 'boolean';
/** Each template's fields and their types, checked at render time (payloads come back from JSON). */
const FIELDS: { [K in MailTemplateName]: Record<keyof MailTemplates[K], FieldType> } = {
  'registration.received': { givenName: 'string', familyName: 'string' },
  'registration.approved': { givenName: 'string', identifier: 'string', provisionalPassword: 'string', portalUrl: 'string', expiresAt: 'number' },
  invitation: { givenName: 'string', identifier: 'string', provisionalPassword: 'string', portalUrl: 'string', expiresAt: 'number', reminder: 'number' },
  'registration.rejected': { givenName: 'string', reason: 'string' },
  'withdrawal.document': { holderName: 'string', label: 'string', pdfBase64: 'string', withdrawalUrl: 'string', expiresAt: 'number', collective: 'boolean' },
  'withdrawal.password': { holderName: 'string', label: 'string', pdfPassword: 'string' },
  'certificate-request.rejected': { holderName: 'string', label: 'string', reason: 'string' },
  'access.granted': { givenName: 'string', applicationName: 'string', applicationUrl: 'string' },
  'access.rejected': { givenName: 'string', applicationName: 'string', reason: 'string' },
  'password-reset.link': { givenName: 'string', identifier: 'string', resetUrl: 'string', expiresAt: 'number' },
  'password-reset.done': { givenName: 'string', identifier: 'string', portalUrl: 'string', changedAt: 'number' },
  'account.unlocked': { givenName: 'string', identifier: 'string', provisionalPassword: 'string', portalUrl: 'string', expiresAt: 'number' },
  'email-change.confirm': { givenName: 'string', confirmUrl: 'string', expiresAt: 'number' },
  'email-change.notice': { givenName: 'string', newEmail: 'string' },
  'renewal.notice': { holderName: 'string', label: 'string', serial: 'string', notAfter: 'number', renewUrl: 'string', collective: 'boolean' },
  'certificate.revoked': { holderName: 'string', label: 'string', serial: 'string', reason: 'string' },
};

const CONTENTS: Record<MailLang, MailContents> = { fr: contentFr, en: contentEn };

export function isMailTemplateName(name: string): name is MailTemplateName {
  return Object.hasOwn(FIELDS, name);
}

function invalid(message: string): PasserelleError {
  return new PasserelleError(500, 'mail_invalid', message);
}

function checkData(template: MailTemplateName, data: unknown): void {
  if (typeof data !== 'object' || data === null) throw invalid(`mail ${template}: data must be an object`);
  const record = data as Record<string, unknown>;
  for (const [field, type] of Object.entries(FIELDS[template] as Record<string, FieldType>)) {
    const value = record[field];
    const ok = type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === type;
    if (!ok) throw invalid(`mail ${template}: field ${field} must be a ${type}`);
  }
}

function frenchBlocks(content: MailContent): MailContent {
  const fix = (block: Block): Block => {
    switch (block.kind) {
      case 'p':
      case 'warning':
        return { ...block, text: frenchTypography(block.text) };
      case 'steps':
        return { ...block, items: block.items.map(frenchTypography) };
      case 'value':
      case 'link':
        return { ...block, label: frenchTypography(block.label) };
    }
  };
  return { subject: frenchTypography(content.subject), greeting: content.greeting, blocks: content.blocks.map(fix) };
}

function attachmentsOf(template: MailTemplateName, data: unknown): MailAttachment[] {
  if (template !== 'withdrawal.document') return [];
  const content = Buffer.from((data as MailTemplates['withdrawal.document']).pdfBase64, 'base64');
  if (content.subarray(0, 5).toString('latin1') !== '%PDF-') throw invalid('mail withdrawal.document: pdfBase64 is not a PDF');
  return [{ filename: WITHDRAWAL_PDF_FILENAME, content, contentType: 'application/pdf' }];
}

/** Renders one mail. Throws `mail_invalid` when the data does not fit the template. */
export function renderMail<T extends MailTemplateName>(template: T, lang: MailLang, data: MailTemplates[T], brand: MailBrand = DEFAULT_MAIL_BRAND): RenderedMail {
  if (!isMailTemplateName(template)) throw invalid(`unknown mail template ${JSON.stringify(template)}`);
  if (lang !== 'fr' && lang !== 'en') throw invalid(`unknown mail language ${JSON.stringify(lang)}`);
  checkData(template, data);
  const raw = (CONTENTS[lang][template] as (d: MailTemplates[T]) => MailContent)(data);
  const content = lang === 'fr' ? frenchBlocks(raw) : raw;
  // Data can reach the subject (an application name): it stays on one line.
  const subject = `[${brand.platformName}] ${content.subject}`.replace(/[\r\n\t]+/g, ' ');
  return {
    subject,
    text: renderText(content, lang, brand),
    html: renderHtml(content, subject, lang, brand),
    attachments: attachmentsOf(template, data),
  };
}
