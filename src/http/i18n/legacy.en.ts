import type { legacyFr } from './legacy.fr.ts';

/** Legacy messages in English: exactly the keys of the French file. */
export const legacyEn: Record<keyof typeof legacyFr, string> = {
  'legacy.title': 'Legacy identifiers',
};
