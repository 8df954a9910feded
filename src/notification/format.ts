import { knownRevocationReason, type RevocationReason } from '../pki/index.ts';
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

const REASON_WORDS: Record<RevocationReason, Record<MailLang, string>> = {
  unspecified: { fr: 'non précisé', en: 'unspecified' },
  keyCompromise: { fr: 'clé compromise', en: 'key compromised' },
  cACompromise: { fr: 'autorité de certification compromise', en: 'certification authority compromised' },
  affiliationChanged: { fr: 'changement de rattachement', en: 'affiliation changed' },
  superseded: { fr: 'remplacé par un nouveau certificat', en: 'replaced by a new certificate' },
  cessationOfOperation: { fr: 'poste ou activité arrêté', en: 'workstation or activity discontinued' },
  certificateHold: { fr: 'suspendu', en: 'on hold' },
  privilegeWithdrawn: { fr: 'droit retiré', en: 'privilege withdrawn' },
};

/** A revocation reason code ("keyCompromise", "key-compromise") in words; free text is kept as is. */
export function revocationReasonText(reason: string, lang: MailLang): string {
  const known = knownRevocationReason(reason);
  return known ? REASON_WORDS[known][lang] : reason;
}

/** A certificate revoked because its renewal replaced it: the holder has nothing to do. */
export function isSuperseded(reason: string): boolean {
  return knownRevocationReason(reason) === 'superseded';
}
