import os from 'node:os';
import type { Actor } from '../accounts/service.ts';
import { operatorName } from '../config/operator.ts';

/**
 * CLI actions are audited as `cli:<operator>`: PASSERELLE_OPERATOR, else the sudo user, else the OS user
 * (src/config/operator.ts).
 */
export function cliActor(env?: Record<string, string | undefined>): Actor {
  let name = operatorName(env) ?? 'unknown';
  if (name === 'unknown') {
    try {
      name = os.userInfo().username;
    } catch {
      // no passwd entry in some containers
    }
  }
  return { name: `cli:${name}`, ip: null };
}
