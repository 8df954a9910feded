/** People messages (French, the reference). Keys start with `people.`. */
export const peopleFr = {
  'people.placeholder': '',
} as const satisfies Record<`people.${string}`, string>;
