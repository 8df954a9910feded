import { formatDate } from '../shared/time.ts';
import type { MailLang } from './types.ts';

const PARIS_TIME: Record<MailLang, string> = { fr: 'heure de Paris', en: 'Paris time' };

/** "14 février 2026 à 10:00 (heure de Paris)": mails and the withdrawal PDF say which time they give. */
export function formatDateTime(ms: number, lang: MailLang): string {
  return `${formatDate(lang, ms)} (${PARIS_TIME[lang]})`;
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
