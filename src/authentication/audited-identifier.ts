/** What the audit trail records for a typed identifier that matched no account. */
export const INVALID_IDENTIFIER = '(invalid identifier)';

/*
 * Our identifiers are `givenname.familyname` slugs, maybe with `-2`: lower-case ASCII words
 * joined by dots and hyphens. Whatever else is typed in the identifier field is often a
 * password typed one field too early, so it never reaches the audit trail or its CSV export.
 */
const PLAUSIBLE = /^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$/;

/** The typed identifier (trimmed, lower-cased) when it could be one of ours, else `(invalid identifier)`; null when empty. */
export function auditedIdentifier(typed: string | null | undefined): string | null {
  const value = (typed ?? '').trim().toLowerCase();
  if (!value) return null;
  return value.length <= 100 && PLAUSIBLE.test(value) ? value : INVALID_IDENTIFIER;
}
