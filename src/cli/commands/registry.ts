import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { cliActor } from '../actor.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const registry = () => import('../../registry/index.ts');

/** A group main.ts already declares (`establishment`, `cert`), or a new one. */
function group(program: Command, name: string, description: string): Command {
  return program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);
}

function day(isoDate: string | null): string {
  return isoDate ? isoDate.slice(0, 10) : '-';
}

/**
 * `establishment list|show|update|delete`, `cert list`, `outbox list|retry`, `audit-export`:
 * the console's registry from a terminal, through the same domain operations (audited as
 * `cli:<os user>`).
 */
export function registerRegistryCommands(program: Command, withRuntime: WithRuntime): void {
  const establishment = group(program, 'establishment', 'establishments');
  establishment
    .command('list')
    .description('list establishments (search by name or FINESS, accents ignored)')
    .option('--q <text>', 'words of the name, or the FINESS')
    .action(async (o: { q?: string }) => {
      const { searchEstablishments } = await registry();
      await withRuntime(async (runtime, out) => {
        const { items, total } = await searchEstablishments(runtime, o.q, 1000);
        out.result({ establishments: items, total }, items.length ? items.map((e) => [e.id, e.finess ?? '-', e.name, e.referentEmail, `${e.people} people`, `${e.collectiveCertificates} collective`].join('  ')) : ['(no establishments)']);
      });
    });
  establishment
    .command('show <id>')
    .description('an establishment (id or FINESS): people, collective certificates, open requests')
    .action(async (id: string) => {
      const { getEstablishment } = await registry();
      await withRuntime(async (runtime, out) => {
        const d = await getEstablishment(runtime, id);
        out.result(d, [
          `${d.establishment.name}  FINESS ${d.establishment.finess ?? '-'}  referent ${d.establishment.referentEmail}`,
          `${d.peopleTotal} people`,
          ...d.collectiveCertificates.map((c) => `  certificate ${c.serial}  ${c.state}  "${c.label}"  until ${day(c.notAfter)}`),
          ...d.openRequests.map((r) => `  request ${r.id}  ${r.status}  "${r.label}"`),
        ]);
      });
    });
  establishment
    .command('update <id>')
    .description('change the name, FINESS (--finess "" clears it) or referent e-mail')
    .option('--name <name>')
    .option('--finess <finess>')
    .option('--referent-email <email>')
    .action(async (id: string, o: { name?: string; finess?: string; referentEmail?: string }) => {
      const { requireEstablishment, updateEstablishment } = await registry();
      await withRuntime(async (runtime, out) => {
        const current = await requireEstablishment(runtime, id);
        const updated = await updateEstablishment(
          runtime,
          current.id,
          { name: o.name ?? current.name, finess: o.finess === undefined ? current.finess : o.finess, referentEmail: o.referentEmail ?? current.referentEmail },
          cliActor(),
        );
        out.result(updated, [`${updated.id} saved: ${updated.name}, FINESS ${updated.finess ?? '-'}, referent ${updated.referentEmail}`]);
      });
    });
  establishment
    .command('delete <id>')
    .description('delete an establishment nothing refers to (no people, certificates, requests or registrations)')
    .action(async (id: string) => {
      const { deleteEstablishment } = await registry();
      await withRuntime(async (runtime, out) => {
        const deleted = await deleteEstablishment(runtime, id, cliActor());
        out.result(deleted, [`${deleted.id} (${deleted.name}) deleted`]);
      });
    });

  group(program, 'cert', 'certificates')
    .command('list')
    .description('list certificates, newest first (soonest to expire first with --expiring-within)')
    .addOption(new Option('--kind <kind>').choices(['personal', 'collective']))
    .addOption(new Option('--status <status>').choices(['valid', 'expired', 'revoked']))
    .option('--establishment <id>', 'establishment id')
    .option('--expiring-within <days>', 'valid certificates ending within this many days')
    .option('--q <text>', 'serial prefix, holder identifier prefix or label fragment')
    .option('--after <cursor>', 'the "next" cursor of the previous page')
    .option('--limit <n>', 'page size (1-200)', '50')
    .action(async (o: { kind?: string; status?: string; establishment?: string; expiringWithin?: string; q?: string; after?: string; limit: string }) => {
      const { listCertificates, parseCertificateQuery } = await registry();
      await withRuntime(async (runtime, out) => {
        const query = parseCertificateQuery({ kind: o.kind, status: o.status, establishment: o.establishment, expiringWithinDays: o.expiringWithin, q: o.q, after: o.after, limit: o.limit }, true);
        const page = await listCertificates(runtime, query);
        out.result(page, [
          ...(page.items.length
            ? page.items.map((c) => [c.serial, c.kind, c.state, c.holder?.identifier ?? (c.establishment ? `establishment ${c.establishment.name}` : '-'), `"${c.label}"`, `until ${day(c.notAfter)}`].join('  '))
            : ['(no certificates)']),
          ...(page.next ? [`next page: --after ${page.next}`] : []),
        ]);
      });
    });

  const outbox = program.command('outbox').description('the mail outbox');
  outbox
    .command('list')
    .description('mails not yet delivered (never their content)')
    .addOption(new Option('--status <status>').choices(['pending', 'sending', 'failed']))
    .action(async (o: { status?: string }) => {
      const { listOutbox, parseOutboxQuery } = await registry();
      await withRuntime(async (runtime, out) => {
        const list = await listOutbox(runtime, parseOutboxQuery({ status: o.status }, true));
        out.result(list, [
          `pending ${list.counts.pending}, sending ${list.counts.sending}, failed ${list.counts.failed}, sent ${list.counts.sent}`,
          ...list.messages.map((m) => [m.id, m.status, m.template, m.recipient, `${m.attempts} attempt(s)`, m.lastError ? `last error: ${m.lastError}` : ''].filter(Boolean).join('  ')),
        ]);
      });
    });
  outbox
    .command('retry <id>')
    .description('put a failed mail back in the queue')
    .action(async (id: string) => {
      const { retryMessage } = await registry();
      await withRuntime(async (runtime, out) => {
        const message = await retryMessage(runtime, id, cliActor());
        out.result(message, [`${message.id} queued again (${message.template} to ${message.recipient})`]);
      });
    });

  program
    .command('audit-export')
    .description('export the audit trail as CSV (";" between fields for French Excel, Paris time and UTC, spreadsheet-safe), newest first')
    .option('--person <identifier>', 'events about or by this identifier')
    .option('--action <action>', 'an action, or a prefix ending with * (certificate.*)')
    .option('--app <app>', 'application id')
    .option('--ip <ip>')
    .addOption(new Option('--outcome <outcome>').choices(['success', 'failure', 'info']))
    .option('--from <when>', 'a day (Paris time) or an ISO timestamp')
    .option('--to <when>', 'a day (included) or an ISO timestamp')
    .option('--out <file>', 'write to this file instead of standard output')
    .action(async (o: { person?: string; action?: string; app?: string; ip?: string; outcome?: string; from?: string; to?: string; out?: string }) => {
      const { exportAuditCsv, parseAuditFilter } = await registry();
      await withRuntime(async (runtime) => {
        const filter = parseAuditFilter({ person: o.person, action: o.action, application: o.app, ip: o.ip, outcome: o.outcome, from: o.from, to: o.to }, true);
        const lines = await exportAuditCsv(runtime, filter, cliActor());
        const sink = o.out ? createWriteStream(o.out, { mode: 0o600 }) : process.stdout;
        for await (const chunk of lines) if (!sink.write(chunk)) await once(sink, 'drain');
        if (o.out) {
          sink.end();
          await once(sink, 'finish');
        }
      });
    });
}
