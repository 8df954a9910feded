/** Registry messages (French, the reference). Keys start with `registry.`. */
export const registryFr = {
  'registry.title': 'Référentiel',
} as const satisfies Record<`registry.${string}`, string>;
