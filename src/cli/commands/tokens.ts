import type { Command } from 'commander';
import { cliActor } from '../actor.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const tokensDomain = () => import('../../tokens/index.ts');

/** `token create|list|revoke`: admin API tokens for coordinators. */
export function registerTokenCommands(program: Command, withRuntime: WithRuntime): void {
  const token = program.command('token').description('admin API tokens (used together with the coordinator certificate)');
  token
    .command('create')
    .description('create a token for a coordinator; it is printed once and never stored in clear')
    .requiredOption('--user <identifier>', 'the coordinator who will use it (id or identifier)')
    .requiredOption('--name <label>', 'what it is for, e.g. "approval script"')
    .action(async (o: { user: string; name: string }) => {
      const { createToken } = await tokensDomain();
      await withRuntime(async (runtime, out) => {
        const owner = await runtime.accounts.requireUser(o.user);
        const { token: value, record } = await createToken(runtime, { user: owner, name: o.name }, cliActor());
        out.result({ ...record, token: value }, [value, `token ${record.id} "${record.name}" for ${record.user}: shown once, keep it in a secret store`, 'it works only together with the certificate of that coordinator']);
      });
    });
  token
    .command('list')
    .description('list tokens (never their secrets)')
    .action(async () => {
      const { listTokens } = await tokensDomain();
      await withRuntime(async (runtime, out) => {
        const tokens = await listTokens(runtime);
        out.result(
          tokens,
          tokens.length === 0
            ? ['(no tokens)']
            : tokens.map((t) => [t.id, t.revokedAt ? `revoked ${t.revokedAt}` : 'active', t.user, `"${t.name}"`, `created ${t.createdAt} by ${t.createdBy}`, t.lastUsedAt ? `last used ${t.lastUsedAt}` : 'never used'].join('  ')),
        );
      });
    });
  token
    .command('revoke <id>')
    .description('revoke a token at once')
    .action(async (id: string) => {
      const { revokeToken } = await tokensDomain();
      await withRuntime(async (runtime, out) => {
        const revoked = await revokeToken(runtime, id, cliActor());
        out.result(revoked, [`token ${revoked.id} revoked`]);
      });
    });
}
