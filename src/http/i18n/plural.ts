import { t, type MessageKey } from './index.ts';
import type { Lang } from './negotiate.ts';

/** Keys that come as a `.one` / `.other` pair. */
type PluralBase = { [K in MessageKey]: K extends `${infer B}.one` ? (`${B}.other` extends MessageKey ? B : never) : never }[MessageKey];

const rules = new Map<Lang, Intl.PluralRules>();

/**
 * The `.one` or `.other` message for `count`, chosen by the language's own plural rules
 * (Intl.PluralRules: French puts 0 and 1 in the singular, English only 1). `{count}` is filled
 * with the number as written in that language unless `vars.count` is given.
 */
export function tPlural(lang: Lang, base: PluralBase, count: number, vars: Record<string, string | number> = {}): string {
  let rule = rules.get(lang);
  if (!rule) {
    rule = new Intl.PluralRules(lang === 'fr' ? 'fr-FR' : 'en-GB');
    rules.set(lang, rule);
  }
  const key = `${base}.${rule.select(count) === 'one' ? 'one' : 'other'}` as MessageKey;
  return t(lang, key, { count, ...vars });
}
