/**
 * What the cell types about a person (console forms, API bodies, CLI options), checked field by
 * field so a form can show every problem at once. Same rules and messages as the portal's.
 */
import { FormCheck, type Outcome } from '../portal/fields.ts';
import { BadRequestError } from '../shared/errors.ts';
import type { Role } from '../model/index.ts';
import type { UpdatableIdentity } from '../model/people.ts';

export interface IdentityForm {
  givenName?: unknown;
  familyName?: unknown;
  profession?: unknown;
  rpps?: unknown;
  establishmentId?: unknown;
}

export interface InvitationForm extends IdentityForm {
  email?: unknown;
  role?: unknown;
  lang?: unknown;
}

export interface Invitation extends UpdatableIdentity {
  email: string;
  role: Role;
  lang: 'fr' | 'en';
}

const ROLES = ['clinician', 'coordinator'] as const;
const LANGS = ['fr', 'en'] as const;

function identityFields(check: FormCheck, form: IdentityForm, establishmentIds: readonly string[]): UpdatableIdentity {
  const givenName = check.text('givenName', form.givenName, { required: true, max: 100 });
  const familyName = check.text('familyName', form.familyName, { required: true, max: 100 });
  const profession = check.text('profession', form.profession, { max: 100 });
  const rpps = check.rpps('rpps', form.rpps);
  const establishmentId = check.choice('establishmentId', form.establishmentId, establishmentIds, false);
  return { givenName: givenName ?? '', familyName: familyName ?? '', profession, rpps, establishmentId };
}

/** Given and family names (required), profession, RPPS/ADELI, establishment (one of `establishmentIds`). */
export function readIdentity(form: IdentityForm, establishmentIds: readonly string[]): Outcome<UpdatableIdentity> {
  const check = new FormCheck();
  const identity = identityFields(check, form, establishmentIds);
  return check.ok ? { ok: true, value: identity } : { ok: false, errors: check.errors };
}

/** An invitation: the identity, the e-mail the invitation goes to, the role and the mail language. */
export function readInvitation(form: InvitationForm, establishmentIds: readonly string[]): Outcome<Invitation> {
  const check = new FormCheck();
  const identity = identityFields(check, form, establishmentIds);
  const email = check.email('email', form.email);
  const role = form.role === undefined || form.role === '' ? 'clinician' : check.choice('role', form.role, ROLES);
  const lang = form.lang === undefined || form.lang === '' ? 'fr' : check.choice('lang', form.lang, LANGS);
  if (!check.ok) return { ok: false, errors: check.errors };
  return { ok: true, value: { ...identity, email: email!, role: role!, lang: lang! } };
}

/** For the API and the CLI: a refused form is a 400 naming every problem (`field: code`). */
export function valueOrThrow<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw new BadRequestError('invalid_field', outcome.errors.map((e) => `${e.field}: ${e.code}`).join('; '), { fields: outcome.errors.map((e) => e.field) });
}
