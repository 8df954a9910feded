/** Sso messages (French, the reference). Keys start with `sso.`. */
export const ssoFr = {
  'sso.title': 'Accès direct aux applications',
} as const satisfies Record<`sso.${string}`, string>;
