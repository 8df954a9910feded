/** The data each mail template needs. Stored as JSON in the outbox, so plain values only. */
export interface MailTemplates {
  'registration.received': { givenName: string; familyName: string };
  'registration.approved': { givenName: string; identifier: string; provisionalPassword: string; portalUrl: string; expiresAt: number };
  /** The cell created the account directly (reminder 0), or reminds the person (1, 2, 3). */
  invitation: { givenName: string; identifier: string; provisionalPassword: string; portalUrl: string; expiresAt: number; reminder: number };
  'registration.rejected': { givenName: string; reason: string };
  'withdrawal.document': { holderName: string; label: string; pdfBase64: string; withdrawalUrl: string; expiresAt: number; collective: boolean };
  'withdrawal.password': { holderName: string; label: string; pdfPassword: string };
  'certificate-request.rejected': { holderName: string; label: string; reason: string };
  'access.granted': { givenName: string; applicationName: string; applicationUrl: string };
  'access.rejected': { givenName: string; applicationName: string; reason: string };
  /** A forgotten password: a single-use link to choose a new one (the current one keeps working). */
  'password-reset.link': { givenName: string; identifier: string; resetUrl: string; expiresAt: number };
  /** The link was used: the password changed at `changedAt`. */
  'password-reset.done': { givenName: string; identifier: string; portalUrl: string; changedAt: number };
  'account.unlocked': { givenName: string; identifier: string; provisionalPassword: string; portalUrl: string; expiresAt: number };
  'email-change.confirm': { givenName: string; confirmUrl: string; expiresAt: number };
  'email-change.notice': { givenName: string; newEmail: string };
  'renewal.notice': { holderName: string; label: string; serial: string; notAfter: number; renewUrl: string; collective: boolean };
  'certificate.revoked': { holderName: string; label: string; serial: string; reason: string };
}

export type MailTemplateName = keyof MailTemplates;
export type MailLang = 'fr' | 'en';

export interface MailAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
  attachments: MailAttachment[];
}

/** One piece of a mail body; rendered both as plain text and as (escaped) HTML. */
export type Block =
  | { kind: 'p'; text: string }
  /** A labelled value to copy (identifier, password): monospace in HTML. */
  | { kind: 'value'; label: string; value: string }
  | { kind: 'link'; label: string; url: string }
  | { kind: 'steps'; items: string[] }
  /** Emphasised warning. */
  | { kind: 'warning'; text: string };

/** What a template produces before rendering: the subject without its "[Passerelle]" prefix. */
export interface MailContent {
  subject: string;
  greeting: string;
  blocks: Block[];
}

export type MailContents = { [K in MailTemplateName]: (data: MailTemplates[K]) => MailContent };
