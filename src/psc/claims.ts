import { parseNationalId, type NationalId } from '../cps/national-id.ts';

/**
 * What Pro Santé Connect tells about a professional (userinfo, scope `scope_all`):
 * - `SubjectNameID`: the national identifier, `8` + RPPS (the same value a CPS card carries;
 *   `preferred_username` repeats it);
 * - `given_name`, `family_name`;
 * - `SubjectRefPro.exercices[].codeProfession`: profession codes of the RPPS
 *   (TRE_G15 nomenclature: 10 médecin, 60 infirmier…).
 * `sub` is the provider's own opaque subject; we never match people on it.
 */
export interface PscProfessional {
  sub: string;
  nationalId: NationalId;
  givenName: string;
  familyName: string;
  professionCodes: string[];
}

export type ClaimsProblem = 'missing_national_id' | 'invalid_national_id';

type Claims = Record<string, unknown>;

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim().slice(0, 200) : '';
}

function professionCodes(refPro: unknown): string[] {
  const exercices = (refPro as { exercices?: unknown } | null)?.exercices;
  if (!Array.isArray(exercices)) return [];
  const codes = exercices.map((e) => text((e as Claims | null)?.codeProfession)).filter((code) => /^\d{1,4}$/.test(code));
  return [...new Set(codes)];
}

/** The professional named by the ID token and userinfo claims, or why they name nobody. */
export function professionalFrom(claims: Claims): { ok: true; professional: PscProfessional } | { ok: false; problem: ClaimsProblem } {
  const raw = text(claims.SubjectNameID) || text(claims.preferred_username);
  if (!raw) return { ok: false, problem: 'missing_national_id' };
  const nationalId = parseNationalId(raw);
  // PSC identifies RPPS professionals: `8` + 11 digits. An ADELI-shaped value is not accepted here.
  if (!nationalId || nationalId.kind !== 'rpps') return { ok: false, problem: 'invalid_national_id' };
  return {
    ok: true,
    professional: { sub: text(claims.sub), nationalId, givenName: text(claims.given_name), familyName: text(claims.family_name), professionCodes: professionCodes(claims.SubjectRefPro) },
  };
}

/** The most common RPPS profession codes (TRE_G15-ProfessionSante), in French, for the registration form. */
const PROFESSIONS: Record<string, string> = {
  '10': 'Médecin',
  '21': 'Pharmacien',
  '40': 'Chirurgien-dentiste',
  '50': 'Sage-femme',
  '60': 'Infirmier',
  '70': 'Masseur-kinésithérapeute',
  '80': 'Pédicure-podologue',
  '91': 'Orthophoniste',
  '92': 'Orthoptiste',
};

/** A readable profession for the registration form; an unlisted code is kept as is for the cell to read. */
export function professionLabel(codes: string[]): string {
  const code = codes[0];
  if (!code) return '';
  return PROFESSIONS[code] ?? `Profession RPPS ${code}`;
}
