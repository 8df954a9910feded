/** Epoch milliseconds → ISO 8601 for API, CLI and CSV output (null stays null). */
export function iso(ms: number | null | undefined): string | null {
  return ms == null ? null : new Date(Number(ms)).toISOString();
}

/** The languages dates are written in (the same two as the pages and mails). */
export type DateLang = 'fr' | 'en';

const LOCALES: Record<DateLang, string> = { fr: 'fr-FR', en: 'en-GB' };
const formats = new Map<string, Intl.DateTimeFormat>();

/** One formatter per language and style, built once: always in Paris time, where the platform's readers are. */
function formatter(lang: DateLang, dateStyle: 'long' | 'medium', withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}/${dateStyle}/${withTime}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle, ...(withTime ? { timeStyle: 'short' } : {}), timeZone: 'Europe/Paris' });
    formats.set(key, format);
  }
  return format;
}

function write(lang: DateLang, value: number | string | Date | null | undefined, dateStyle: 'long' | 'medium', withTime: boolean): string {
  if (value == null) return '';
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? '' : formatter(lang, dateStyle, withTime).format(date);
}

/** "14 février 2026 à 10:00" / "14 February 2026 at 10:00" (Paris time); the day alone without `withTime`. Nothing (or an unreadable value) → "". */
export function formatDate(lang: DateLang, value: number | string | Date | null | undefined, withTime = true): string {
  return write(lang, value, 'long', withTime);
}

/** "14 févr. 2026, 10:00" / "14 Feb 2026, 10:00": the compact form for the console's tables. */
export function formatCompactDate(lang: DateLang, value: number | string | Date | null | undefined, withTime = true): string {
  return write(lang, value, 'medium', withTime);
}
