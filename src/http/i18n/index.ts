import { en } from './en.ts';
import { fr, type MessageKey, type Messages } from './fr.ts';
import type { Lang } from './negotiate.ts';

export type { MessageKey, Messages } from './fr.ts';
export { DEFAULT_LANG, LANG_COOKIE, LANGUAGES, fromAcceptLanguage, isLang, pickLanguage } from './negotiate.ts';
export type { Lang } from './negotiate.ts';

const dictionaries: Record<Lang, Messages> = { fr: frenchTypography(fr), en };

/** Non-breaking spaces before « : ; ? ! » and inside guillemets (narrow before ; ? !). */
function frenchTypography(messages: Messages): Messages {
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(messages)) {
    out[key] = text
      .replace(/ :/g, '\u00a0:')
      .replace(/ ([;?!])/g, '\u202f$1')
      .replace(/« /g, '«\u00a0')
      .replace(/ »/g, '\u00a0»');
  }
  return out as Messages;
}

/** The raw message, placeholders left in (for templates that slot elements into them). */
export function message(lang: Lang, key: MessageKey): string {
  return dictionaries[lang][key];
}

/**
 * Translate `key`, replacing `{name}` with `vars.name`; unknown placeholders are kept as is.
 * French elides "de" before a value starting with a vowel: "de {application}" → "d’OpenDRP".
 */
export function t(lang: Lang, key: MessageKey, vars?: Record<string, string | number>): string {
  const text = message(lang, key);
  if (!vars) return text;
  return text.replace(/(\b[dD]e )?\{(\w+)\}/g, (whole, de: string | undefined, name: string) => {
    const value = vars[name];
    if (value === undefined) return whole;
    const filled = String(value);
    if (de && lang === 'fr' && ELIDES.test(filled)) return `${de[0]}’${filled}`;
    return `${de ?? ''}${filled}`;
  });
}

/** Words that take "d’" rather than "de" (a mute h is too uncertain to guess). */
const ELIDES = /^[aeiouyàâéèêëîïôöûüAEIOUYÀÂÉÈÊËÎÏÔÖÛÜ]/;
