/** People messages (French, the reference). Keys start with `people.`. */
export const peopleFr = {
  'people.title': 'Personnes',
} as const satisfies Record<`people.${string}`, string>;
