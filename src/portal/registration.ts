import type { Establishment, Registration } from '../model/index.ts';
import { enqueueMail } from '../notification/outbox.ts';
import type { PortalDeps, RequestContext } from './deps.ts';
import { FormCheck, type Outcome } from './fields.ts';

/** The establishment select's value for "not in the list". */
export const OTHER_ESTABLISHMENT = 'autre';

/** The registration form as submitted (strings straight from the body). */
export interface RegistrationForm {
  givenName?: unknown;
  familyName?: unknown;
  email?: unknown;
  profession?: unknown;
  rpps?: unknown;
  establishment?: unknown;
  establishmentName?: unknown;
  reason?: unknown;
  application?: unknown;
}

export type RegistrationInput = Pick<Registration, 'givenName' | 'familyName' | 'email' | 'profession' | 'rpps' | 'establishmentId' | 'establishmentName' | 'reason' | 'requestedApplication'>;

/** Every field checked at once; nothing is written here. */
export function validateRegistration(form: RegistrationForm, choices: { establishments: Establishment[]; applicationIds: string[] }): Outcome<RegistrationInput> {
  const check = new FormCheck();
  const givenName = check.text('givenName', form.givenName, { required: true, max: 100 });
  const familyName = check.text('familyName', form.familyName, { required: true, max: 100 });
  const email = check.email('email', form.email);
  const profession = check.text('profession', form.profession, { max: 100 });
  const rpps = check.rpps('rpps', form.rpps);
  const establishment = check.choice('establishment', form.establishment, [...choices.establishments.map((e) => e.id), OTHER_ESTABLISHMENT]);
  // "Autre": the name is typed; the cell links or creates the establishment when it approves.
  const establishmentName = establishment === OTHER_ESTABLISHMENT ? check.text('establishmentName', form.establishmentName, { required: true, max: 200 }) : null;
  const reason = check.text('reason', form.reason, { required: true, max: 1000, multiline: true });
  const application = choices.applicationIds.length > 0 ? check.choice('application', form.application, choices.applicationIds) : null;
  if (!check.ok) return { ok: false, errors: check.errors };
  const chosen = choices.establishments.find((e) => e.id === establishment);
  return {
    ok: true,
    value: {
      givenName: givenName!,
      familyName: familyName!,
      email: email!,
      profession,
      rpps,
      establishmentId: chosen?.id ?? null,
      establishmentName: chosen?.name ?? establishmentName,
      reason,
      requestedApplication: application,
    },
  };
}

/**
 * Records a registration request and its acknowledgement mail in one transaction. Nothing
 * else exists until the coordination cell approves it.
 */
export async function submitRegistration(deps: PortalDeps, form: RegistrationForm, context: RequestContext): Promise<Outcome<Registration['id']>> {
  const { storage, config, clock, random, auditor } = deps;
  const outcome = validateRegistration(form, { establishments: await storage.establishments.list(), applicationIds: config.applications.map((a) => a.id) });
  if (!outcome.ok) return outcome;
  const input = outcome.value;
  const id = random.uuid();
  await storage.transaction(async (repos) => {
    await repos.registrations.insert({ id, ...input, lang: context.lang, ip: context.ip, createdAt: clock.now().getTime() });
    await enqueueMail(repos, { clock, random }, { to: input.email, template: 'registration.received', lang: context.lang, data: { givenName: input.givenName, familyName: input.familyName } });
    await auditor.with(repos.audit).record({
      action: 'registration.submit',
      outcome: 'success',
      actor: input.email,
      ip: context.ip,
      subject: `registration:${id}`,
      details: { establishmentId: input.establishmentId, requestedApplication: input.requestedApplication },
    });
  });
  return { ok: true, value: id };
}
