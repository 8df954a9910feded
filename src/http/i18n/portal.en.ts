import type { portalFr } from './portal.fr.ts';

/** Portal messages in English: exactly the keys of the French file. */
export const portalEn: Record<keyof typeof portalFr, string> = {
};
