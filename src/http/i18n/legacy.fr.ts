/** Legacy messages (French, the reference). Keys start with `legacy.`. */
export const legacyFr = {
  'legacy.placeholder': '',
} as const satisfies Record<`legacy.${string}`, string>;
