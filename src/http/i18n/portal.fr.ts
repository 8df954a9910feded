/** Portal messages (French, the reference). Keys start with `portal.`. */
export const portalFr = {
} as const satisfies Record<`portal.${string}`, string>;
