import type { Command } from 'commander';
import { cliActor } from '../actor.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const consoleDomain = () => import('../../console/index.ts');

/** `console totp-reset`: the coordination console's operations from a terminal. */
export function registerConsoleCommands(program: Command, withRuntime: WithRuntime): void {
  const group = program.command('console').description('coordination console');
  group
    .command('totp-reset <user>')
    .description("remove a coordinator's TOTP second factor and recovery codes (lost phone); they enrol again at their next console login")
    .action(async (who: string) => {
      const { resetTotp } = await consoleDomain();
      await withRuntime(async (runtime, out) => {
        const user = await runtime.accounts.requireUser(who);
        const removed = await resetTotp(runtime, user, cliActor());
        out.result({ identifier: user.identifier, removed }, [removed ? `${user.identifier}: second factor removed; enrolment again at the next console login` : `${user.identifier} had no second factor`]);
      });
    });
}
