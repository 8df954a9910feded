import type { peopleFr } from './people.fr.ts';

/** People messages in English: exactly the keys of the French file. */
export const peopleEn: Record<keyof typeof peopleFr, string> = {
  'people.title': 'People',
};
