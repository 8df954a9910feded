/**
 * The national identifier of a health professional, as IGC-Santé writes it in a CPS card's
 * certificate: a one-digit type followed by the number.
 * - `8` + RPPS (11 digits), e.g. `810101010101`;
 * - `0` + ADELI (9 digits), e.g. `0751234567` (professions not yet in the RPPS).
 * `users.rpps` stores the bare number (11 or 9 digits), so the type digit tells which one.
 */
export type NationalIdKind = 'rpps' | 'adeli';

export interface NationalId {
  /** As on the card: type digit + number. */
  value: string;
  kind: NationalIdKind;
  /** What `users.rpps` holds: the RPPS (11 digits) or ADELI (9 digits) number. */
  number: string;
}

export function parseNationalId(raw: string): NationalId | null {
  const value = raw.trim();
  if (/^8\d{11}$/.test(value)) return { value, kind: 'rpps', number: value.slice(1) };
  if (/^0\d{9}$/.test(value)) return { value, kind: 'adeli', number: value.slice(1) };
  return null;
}

/**
 * Where IGC-Santé puts the identifier: the subject's `serialNumber` attribute and/or the CN
 * prefix (`CN=810101010101/Hélène Lefèvre`). Both are read; when both carry one they must
 * agree, otherwise the card is not trusted to name anyone (null).
 */
export function nationalIdFrom(serialNumbers: string[], commonNames: string[]): NationalId | null {
  const candidates = [...serialNumbers, ...commonNames.map((cn) => /^(\d+)\//.exec(cn.trim())?.[1] ?? '')]
    .map(parseNationalId)
    .filter((id): id is NationalId => id !== null);
  const first = candidates[0];
  if (!first || candidates.some((id) => id.value !== first.value)) return null;
  return first;
}
