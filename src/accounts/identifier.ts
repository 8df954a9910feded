/** Lower-case ASCII slug: accents stripped, anything else between words becomes '-'. */
export function slug(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/æ/gi, 'ae')
    .replace(/œ/gi, 'oe')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** `givenname.familyname`, e.g. Hélène Lefèvre → helene.lefevre. */
export function baseIdentifier(givenName: string, familyName: string): string {
  const given = slug(givenName);
  const family = slug(familyName);
  if (!given || !family) throw new Error('given and family names need at least one letter or digit');
  return `${given}.${family}`;
}

/** The first of `base`, `base-2`, `base-3`… not in `taken`. */
export function firstFreeIdentifier(base: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  if (!used.has(base)) return base;
  for (let n = 2; ; n += 1) {
    const candidate = `${base}-${n}`;
    if (!used.has(candidate)) return candidate;
  }
}
