import { foldAccents } from '../shared/text.ts';

/** Lower case, accents and extra spaces removed: "Hôpital  Saint-Éloi" ~ "hopital saint-eloi". */
export function fold(text: string): string {
  return foldAccents(text).replace(/\s+/g, ' ').trim();
}

/** Every word of the query appears in the text, accents and case aside. */
export function matchesWords(text: string, query: string): boolean {
  const haystack = fold(text);
  return fold(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
