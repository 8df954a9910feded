import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { cliActor } from '../actor.ts';
import type { CutOverReport, ImportReport } from '../../legacy/index.ts';
import { BadRequestError } from '../../shared/errors.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const legacyDomain = () => import('../../legacy/index.ts');

function day(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

function importLines(r: ImportReport, file: string): string[] {
  const lines = r.applied
    ? [`${file} → ${r.applicationId}: ${r.rows} rows, ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected.length} rejected`]
    : [`${file}: nothing imported, ${r.rejected.length} bad row(s) (fix them, or pass --skip-invalid to import the others)`];
  if (r.ignoredColumns.length) lines.push(`ignored columns: ${r.ignoredColumns.join(', ')}`);
  return [...lines, ...r.rejected.map((x) => `  line ${x.line}${x.identifier ? ` (${x.identifier})` : ''}: ${x.reason}`)];
}

function cutOverLines(r: CutOverReport): string[] {
  const head = r.scope === 'application' ? `application ${r.applicationId} cut over` : `${r.identifier} cut over${r.applicationId ? ` for ${r.applicationId}` : ''}`;
  return [`${head}: ${r.cutOver.length} legacy identifier(s)`, ...r.cutOver.map((m) => `  ${m.applicationId}  ${m.legacyUsername} → ${m.identifier}`)];
}

/** `legacy import|status|mappings|cut-over|unlock|conflicts|resolve` (issue 5). */
export function registerLegacyCommands(program: Command, withRuntime: WithRuntime): void {
  const legacy = program.command('legacy').description('legacy identifiers of the applications: import, migration progress, cut-over');

  legacy
    .command('import <file>')
    .description('directory mode: load the application\'s existing accounts from a CSV (identifier, display_name, email, password_hash or password); idempotent')
    .requiredOption('--app <app>', 'application id')
    .option('--skip-invalid', 'import the good rows even when some are rejected (default: any bad row stops the import)')
    .action(async (file: string, o: { app: string; skipInvalid?: boolean }) => {
      const { importLegacyAccounts } = await legacyDomain();
      let csv: string;
      try {
        csv = readFileSync(file, 'utf8');
      } catch (error) {
        throw new BadRequestError('unreadable_file', `cannot read ${file}: ${(error as Error).message}`);
      }
      await withRuntime(async (runtime, out) => {
        const report = await importLegacyAccounts(runtime, o.app, csv, cliActor(), { skipInvalid: Boolean(o.skipInvalid) });
        out.result(report, importLines(report, file));
        if (!report.applied) process.exitCode = 1;
      });
    });

  legacy
    .command('status')
    .description('migration progress per application')
    .action(async () => {
      const { legacyProgress } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        const rows = await legacyProgress(runtime);
        out.result(
          rows,
          rows.length === 0
            ? ['(no application has legacy settings)']
            : rows.map((p) =>
                [
                  p.applicationId,
                  p.mode,
                  `mapped=${p.mapped}`,
                  `cut-over=${p.cutOverMappings}`,
                  p.remaining === null ? 'remaining=?' : `remaining=${p.remaining}/${p.imported}`,
                  `new=${p.declined}`,
                  `locked=${p.lockedIdentifiers}`,
                  `conflicts=${p.openConflicts}`,
                  p.cutOver ? `CUT OVER (${p.cutOver.source === 'config' ? 'configuration' : `${day(p.cutOver.at)} by ${p.cutOver.by}`})` : 'migration period',
                ].join('  '),
              ),
        );
      });
    });

  legacy
    .command('mappings')
    .description('legacy identifiers mapped for an application')
    .requiredOption('--app <app>', 'application id')
    .addOption(new Option('--status <status>').choices(['mapped', 'cut_over']))
    .action(async (o: { app: string; status?: 'mapped' | 'cut_over' }) => {
      const { listMappings } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        const rows = await listMappings(runtime, o.app, { ...(o.status ? { status: o.status } : {}), limit: 1000 });
        out.result(rows, rows.length === 0 ? ['(no mappings)'] : rows.map((m) => [m.legacyUsername, m.identifier ?? m.userId, m.status, day(m.createdAt), m.cutOverAt ? `cut over ${day(m.cutOverAt)} by ${m.cutOverBy}` : ''].filter(Boolean).join('  ')));
      });
    });

  legacy
    .command('cut-over')
    .description('end the migration period: for a whole application (--app), a person (--user), or a person on one application (both)')
    .option('--app <app>', 'application id')
    .option('--user <user>', 'id or identifier of the person')
    .action(async (o: { app?: string; user?: string }) => {
      const { cutOverApplication, cutOverUser } = await legacyDomain();
      if (!o.app && !o.user) throw new BadRequestError('usage', 'give --app, --user, or both');
      await withRuntime(async (runtime, out) => {
        const report = o.user ? await cutOverUser(runtime, o.user, o.app ?? null, cliActor()) : await cutOverApplication(runtime, o.app!, cliActor());
        out.result(report, cutOverLines(report));
      });
    });

  legacy
    .command('unlock')
    .description('unblock a legacy identifier locked after too many wrong passwords')
    .requiredOption('--app <app>', 'application id')
    .requiredOption('--legacy-user <name>', 'the legacy identifier')
    .action(async (o: { app: string; legacyUser: string }) => {
      const { unlockLegacyIdentifier } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        await unlockLegacyIdentifier(runtime, o.app, o.legacyUser, cliActor());
        out.result({ applicationId: o.app, legacyUsername: o.legacyUser, locked: false }, [`${o.legacyUser} (${o.app}) unblocked`]);
      });
    });

  legacy
    .command('locks')
    .description('legacy identifiers blocked after too many wrong passwords')
    .action(async () => {
      const { listLocks } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        const rows = await listLocks(runtime);
        out.result(rows, rows.length === 0 ? ['(no blocked legacy identifiers)'] : rows.map((l) => `${l.applicationId}  ${l.usernameKey}  ${l.failures} failures  since ${day(l.lockedAt)}`));
      });
    });

  legacy
    .command('conflicts')
    .description('legacy identifiers claimed by someone other than the person they are mapped to')
    .option('--resolved', 'list the settled ones instead')
    .action(async (o: { resolved?: boolean }) => {
      const { listConflicts } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        const rows = await listConflicts(runtime, !o.resolved);
        out.result(rows, rows.length === 0 ? ['(no conflicts)'] : rows.map((c) => [c.id, c.applicationId, c.legacyUsername, `claimed by ${c.claimant}`, `mapped to ${c.holder}`, day(c.createdAt), c.resolution ? `${c.resolution} by ${c.resolvedBy}` : ''].filter(Boolean).join('  ')));
      });
    });

  legacy
    .command('resolve <conflict>')
    .description('settle a conflict: keep the mapping (dismissed) or give the legacy identifier to the claimant (reassigned)')
    .addOption(new Option('--as <resolution>').choices(['dismissed', 'reassigned']).makeOptionMandatory())
    .action(async (id: string, o: { as: 'dismissed' | 'reassigned' }) => {
      const { resolveConflict } = await legacyDomain();
      await withRuntime(async (runtime, out) => {
        const c = await resolveConflict(runtime, id, o.as, cliActor());
        out.result(c, [`${c.id} ${c.resolution}: ${c.legacyUsername} (${c.applicationId}) is now mapped to ${c.resolution === 'reassigned' ? c.claimant : c.holder}`]);
      });
    });
}
