/** Legacy messages (French, the reference). Keys start with `legacy.`. */
export const legacyFr = {
  'legacy.title': 'Anciens identifiants',
} as const satisfies Record<`legacy.${string}`, string>;
