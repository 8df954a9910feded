/** Sso messages (French, the reference). Keys start with `sso.`. */
export const ssoFr = {
  'sso.placeholder': '',
} as const satisfies Record<`sso.${string}`, string>;
