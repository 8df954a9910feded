import { Option, type Command } from 'commander';
import { cliActor } from '../actor.ts';
import { plural } from '../output.ts';
import { BadRequestError } from '../../shared/errors.ts';
import type { PeoplePage, PersonStatus } from '../../people/index.ts';
import { PERSON_STATUSES } from '../../model/people.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const peopleDomain = () => import('../../people/index.ts');

function pageLines(page: PeoplePage): string[] {
  if (page.people.length === 0) return ['(nobody matches)'];
  return [
    ...page.people.map((p) => [p.identifier, p.status, `${p.familyName} ${p.givenName}`, p.email, p.rpps ?? '', p.establishment?.name ?? ''].filter(Boolean).join('  ')),
    `${page.totalExact ? page.total : `more than ${page.total}`} ${plural(page.total, 'match', 'matches')}${page.next ? `; next page: --after ${page.next}` : ''}`,
  ];
}

/** `people search|show|invite|resend-activation|send-reminders`: the console's people from a terminal. */
export function registerPeopleCommands(program: Command, withRuntime: WithRuntime): void {
  const people = program.command('people').description('people: search, invitations');
  people
    .command('search [query]')
    .description('prefix of the name ("lefe", "helene lef"), identifier, e-mail, RPPS or a word of the establishment; accents and case aside')
    .addOption(new Option('--status <status>').choices([...PERSON_STATUSES]))
    .option('--limit <n>', 'page size (1-200)', '50')
    .option('--after <cursor>', 'the next page (cursor printed by the previous one)')
    .action(async (query: string | undefined, o: { status?: PersonStatus; limit: string; after?: string }) => {
      const { searchPeople } = await peopleDomain();
      const limit = Number(o.limit);
      if (!Number.isInteger(limit)) throw new BadRequestError('usage', '--limit must be an integer');
      await withRuntime(async (runtime, out) => {
        const page = await searchPeople(runtime, { q: query, status: o.status, limit, after: o.after });
        out.result(page, pageLines(page));
      });
    });
  people
    .command('show <person>')
    .description('everything about one account (id or identifier)')
    .action(async (who: string) => {
      const { getPerson } = await peopleDomain();
      await withRuntime(async (runtime, out) => {
        const p = await getPerson(runtime, who);
        out.result(p, [
          `${p.identifier}  ${p.status}  ${p.givenName} ${p.familyName} <${p.email}>`,
          `profession: ${p.profession ?? '-'}  RPPS/ADELI: ${p.rpps ?? '-'}  establishment: ${p.establishment?.name ?? '-'}`,
          ...p.certificates.map((c) => `certificate ${c.serial} "${c.label}" ${c.state} until ${c.notAfter}`),
          ...p.grants.map((g) => `application ${g.applicationId}: ${g.status}`),
          ...p.legacyIdentifiers.map((m) => `legacy ${m.applicationId}: ${m.legacyUsername} (${m.status})`),
          ...p.statusHistory.slice(0, 10).map((e) => `  ${e.at}  ${e.action}  ${e.actor ?? ''}`),
        ]);
      });
    });
  people
    .command('invite')
    .description('create an account and mail the invitation (identifier and a provisional password, valid 14 days)')
    .requiredOption('--given-name <name>')
    .requiredOption('--family-name <name>')
    .requiredOption('--email <email>')
    .option('--establishment <id>', 'establishment id or FINESS')
    .option('--profession <profession>')
    .option('--rpps <number>', 'RPPS (11 digits) or ADELI (9 digits)')
    .addOption(new Option('--role <role>').choices(['clinician', 'coordinator']).default('clinician'))
    .addOption(new Option('--lang <lang>', 'language of the mails').choices(['fr', 'en']).default('fr'))
    .action(async (o: { givenName: string; familyName: string; email: string; establishment?: string; profession?: string; rpps?: string; role: string; lang: string }) => {
      const { invitePerson, valueOrThrow } = await peopleDomain();
      await withRuntime(async (runtime, out) => {
        const establishmentId = o.establishment ? (await runtime.accounts.requireEstablishment(o.establishment)).id : undefined;
        const created = valueOrThrow(
          await invitePerson(runtime, { givenName: o.givenName, familyName: o.familyName, email: o.email, establishmentId, profession: o.profession, rpps: o.rpps, role: o.role, lang: o.lang }, cliActor()),
        );
        const expiresAt = new Date(created.expiresAt).toISOString();
        out.result({ ...created, expiresAt }, [`${created.identifier} invited (${created.id})`, `invitation mailed, valid until ${expiresAt}`]);
      });
    });
  people
    .command('resend-activation <person>')
    .description('a provisional account: new provisional password by mail (a pending invitation starts again for 14 days)')
    .action(async (who: string) => {
      const { resendActivation } = await peopleDomain();
      await withRuntime(async (runtime, out) => {
        const sent = await resendActivation(runtime, who, cliActor());
        const expiresAt = new Date(sent.expiresAt).toISOString();
        out.result({ ...sent, expiresAt }, [`${sent.identifier}: ${sent.invitation ? 'invitation' : 'activation mail'} sent again, valid until ${expiresAt}`]);
      });
    });
  people
    .command('send-reminders')
    .description('mail the invitation reminders that are due now (what the server does every few hours)')
    .action(async () => {
      const { sendInvitationReminders } = await peopleDomain();
      await withRuntime(async (runtime, out) => {
        const sent = await sendInvitationReminders(runtime);
        out.result({ sent }, [`${sent} ${plural(sent, 'reminder', 'reminders')} queued`]);
      });
    });
}
