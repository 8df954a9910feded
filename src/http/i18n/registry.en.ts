import type { registryFr } from './registry.fr.ts';

/** Registry messages in English: exactly the keys of the French file. */
export const registryEn: Record<keyof typeof registryFr, string> = {
  'registry.title': 'Registry',
};
