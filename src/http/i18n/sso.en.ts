import type { ssoFr } from './sso.fr.ts';

/** Sso messages in English: exactly the keys of the French file. */
export const ssoEn: Record<keyof typeof ssoFr, string> = {
  'sso.title': 'Direct access to applications',
};
