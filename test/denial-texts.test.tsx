/**
 * Every denial page, in both languages and with every CPS variant, rendered with the default support
 * contact: no phrase doubled inside one paragraph ("contactez la cellule de coordination (la cellule de
 * coordination (…))"), no placeholder left unfilled. Every message that slots the support contact is
 * checked the same way.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { LANGUAGES, t, type Lang, type MessageKey } from '../src/http/i18n/index.ts';
import { fr } from '../src/http/i18n/fr.ts';
import { DENIAL_REASONS, DeniedPage, renderPage, type DenialReason } from '../src/http/pages/index.ts';

const DEFAULT_SUPPORT = (parse(readFileSync(new URL('../config/default.yaml', import.meta.url), 'utf8')) as { support: { contact: string } }).support.contact;
const CPS_PROBLEMS = [null, 'no_national_id', 'unknown_holder', 'ambiguous_holder', 'crl_stale'] as const;

/** The text of each paragraph-like block (p, li, dd, dt, h1, h2), tags stripped and entities decoded. */
function blocks(html: string): string[] {
  const body = html.slice(html.indexOf('<main'));
  return [...body.matchAll(/<(p|li|dd|dt|h1|h2)\b[^>]*>([\s\S]*?)<\/\1>/g)].map((m) =>
    m[2]!
      .replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&quot;/g, '"')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

/**
 * A run of `n` words (at least two of 3+ letters, to skip "de la") said again within a few words of
 * itself — the stutter of a sentence that wraps a slot already holding the same words.
 */
function doubledPhrase(text: string, n = 3, within = 8): string | null {
  const words = text.toLowerCase().match(/[\p{L}\d@.-]+/gu) ?? [];
  const seen = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const gram = words.slice(i, i + n);
    if (gram.filter((w) => w.length >= 3).length < 2) continue;
    const key = gram.join(' ');
    const before = seen.get(key);
    if (before !== undefined && i - before <= n + within) return key;
    seen.set(key, i);
  }
  return null;
}

function problems(texts: string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const placeholder = /\{\w+\}/.exec(text);
    if (placeholder) out.push(`unfilled ${placeholder[0]} in «${text}»`);
    const doubled = doubledPhrase(text);
    if (doubled) out.push(`doubled «${doubled}» in «${text}»`);
  }
  return out;
}

function page(lang: Lang, reason: DenialReason, cps: (typeof CPS_PROBLEMS)[number]): string {
  return renderPage(
    DeniedPage({
      lang,
      reason,
      status: 403,
      supportContact: DEFAULT_SUPPORT,
      publicUrl: 'https://portail.esante.localhost',
      registrationUrl: 'https://portail.esante.localhost/inscription',
      details: { identifier: 'helene.lefevre', applicationName: 'OpenDRP', serial: '3fa2', expiredOn: '2027-03-12', cps: cps ? { nationalId: '810001234567', problem: cps } : undefined },
    }),
  );
}

describe('denial pages read well', () => {
  it('the checker itself catches the doubled contact and an unfilled placeholder', () => {
    expect(doubledPhrase('Contactez la cellule de coordination (la cellule de coordination (coordination@esante.localhost)).')).toBe('cellule de coordination');
    expect(problems(['Contactez {support}.'])).toEqual(['unfilled {support} in «Contactez {support}.»']);
    expect(problems(['Contactez la cellule de coordination (coordination@esante.localhost).'])).toEqual([]);
  });

  for (const lang of LANGUAGES) {
    it(`every reason and CPS variant, ${lang}`, () => {
      const found: string[] = [];
      for (const reason of DENIAL_REASONS) {
        for (const cps of CPS_PROBLEMS) {
          const html = page(lang, reason, cps);
          found.push(...problems(blocks(html)).map((p) => `${reason}${cps ? `/${cps}` : ''}: ${p}`));
        }
      }
      expect(found).toEqual([]);
    });
  }

  it('shows the serial number the text refers to, and the expiry date in words', () => {
    const unknown = page('fr', 'certificate_unknown', null);
    expect(unknown).toContain('numéro de série');
    expect(unknown).toContain('3F:A2');
    const expired = page('fr', 'certificate_expired', null);
    expect(expired).toContain('12 mars 2027');
    expect(expired).not.toContain('2027-03-12');
    expect(page('en', 'certificate_revoked', null)).toContain('12 March 2027');
  });

  it('every message that names the support contact, filled with the default one', () => {
    const found: string[] = [];
    for (const lang of LANGUAGES) {
      for (const key of Object.keys(fr) as MessageKey[]) {
        if (!fr[key].includes('{support}')) continue;
        const text = t(lang, key, { support: DEFAULT_SUPPORT });
        const doubled = doubledPhrase(text);
        if (doubled) found.push(`${lang} ${key}: «${doubled}»`);
      }
    }
    expect(found).toEqual([]);
  });
});
