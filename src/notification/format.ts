import type { MailLang } from './types.ts';

// Mails and the withdrawal PDF are read in France: dates are given in Paris time, said so.
const DATE_TIME: Record<MailLang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' }),
};
const DATE: Record<MailLang, Intl.DateTimeFormat> = {
  fr: new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
  en: new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'Europe/Paris' }),
};
const PARIS_TIME: Record<MailLang, string> = { fr: 'heure de Paris', en: 'Paris time' };

/** "14 février 2026 à 10:00 (heure de Paris)". */
export function formatDateTime(ms: number, lang: MailLang): string {
  return `${DATE_TIME[lang].format(ms)} (${PARIS_TIME[lang]})`;
}

/** "14 février 2026". */
export function formatDate(ms: number, lang: MailLang): string {
  return DATE[lang].format(ms);
}

/**
 * French typography for mail text: no-break space before « : ; ? ! » and inside guillemets.
 * (A plain no-break space, not the narrow one: the PDF's standard fonts have no glyph for it.)
 */
export function frenchTypography(text: string): string {
  return text
    .replace(/ ([:;?!])/g, '\u00a0$1')
    .replace(/« /g, '«\u00a0')
    .replace(/ »/g, '\u00a0»');
}

const REVOCATION_REASONS: Record<string, Record<MailLang, string>> = {
  unspecified: { fr: 'non précisé', en: 'unspecified' },
  keycompromise: { fr: 'clé compromise', en: 'key compromised' },
  cacompromise: { fr: 'autorité de certification compromise', en: 'certification authority compromised' },
  affiliationchanged: { fr: 'changement de rattachement', en: 'affiliation changed' },
  superseded: { fr: 'remplacé par un nouveau certificat', en: 'replaced by a new certificate' },
  cessationofoperation: { fr: 'poste ou activité arrêté', en: 'workstation or activity discontinued' },
  certificatehold: { fr: 'suspendu', en: 'on hold' },
  privilegewithdrawn: { fr: 'droit retiré', en: 'privilege withdrawn' },
};

/** A revocation reason code ("keyCompromise", "key-compromise") in words; free text is kept as is. */
export function revocationReasonText(reason: string, lang: MailLang): string {
  return REVOCATION_REASONS[reason.replace(/[-_\s]/g, '').toLowerCase()]?.[lang] ?? reason;
}

/** A certificate revoked because its renewal replaced it: the holder has nothing to do. */
export function isSuperseded(reason: string): boolean {
  return reason.replace(/[-_\s]/g, '').toLowerCase() === 'superseded';
}
