/** Withdrawal messages (French, the reference). Keys start with `withdrawal.`. */
export const withdrawalFr = {
} as const satisfies Record<`withdrawal.${string}`, string>;
