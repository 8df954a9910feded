export const LANGUAGES = ['fr', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'fr';
/** Cookie that remembers a `?lang=` choice (set by src/http/language.ts). */
export const LANG_COOKIE = 'lang';

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function normalise(value: string | undefined): Lang | undefined {
  const v = value?.trim().toLowerCase();
  return isLang(v) ? v : undefined;
}

/** Best supported language of an Accept-Language header (q-values honoured, `fr-FR` → `fr`). */
export function fromAcceptLanguage(header: string | undefined): Lang | undefined {
  if (!header) return undefined;
  let best: { lang: Lang; q: number } | undefined;
  for (const part of header.split(',').slice(0, 32)) {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    const primary = range.trim().split('-')[0];
    const lang = primary === '*' ? DEFAULT_LANG : normalise(primary);
    // Strictly greater: on a tie the earlier range wins, as the header lists them.
    if (lang && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang;
}

/** `?lang=` beats the cookie, which beats Accept-Language; French by default. */
export function pickLanguage(input: {
  query?: string | undefined;
  cookie?: string | undefined;
  acceptLanguage?: string | undefined;
}): Lang {
  return (
    normalise(input.query) ?? normalise(input.cookie) ?? fromAcceptLanguage(input.acceptLanguage) ?? DEFAULT_LANG
  );
}
