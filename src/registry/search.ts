import { lowerCaseWithoutAccents } from '../shared/text.ts';

/** Lower case, accents and extra spaces removed: "Hôpital  Saint-Éloi" ~ "hopital saint-eloi". */
function comparable(text: string): string {
  return lowerCaseWithoutAccents(text).replace(/\s+/g, ' ').trim();
}

/** Every word of the query appears in the text, accents and case aside. */
export function matchesWords(text: string, query: string): boolean {
  const haystack = comparable(text);
  return comparable(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}
