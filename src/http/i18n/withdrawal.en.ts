import type { withdrawalFr } from './withdrawal.fr.ts';

/** Withdrawal messages in English: exactly the keys of the French file. */
export const withdrawalEn: Record<keyof typeof withdrawalFr, string> = {
};
