import { readFileSync } from 'node:fs';
import { lowerCaseWithoutAccents } from '../shared/text.ts';

const FILE = new URL('./data/common-passwords.txt', import.meta.url);

let list: Set<string> | undefined;

/** The shipped list (≈ 2,300 entries, English and French), loaded once. */
export function commonPasswords(): Set<string> {
  list ??= new Set(
    readFileSync(FILE, 'utf8')
      .split('\n')
      .map((line) => line.replace(/#.*/, ''))
      .flatMap((line) => line.split(/\s+/))
      .filter((word) => word.length > 0)
      // "Hôpital" and "hopital" are the same word to an attacker.
      .map(lowerCaseWithoutAccents),
  );
  return list;
}
