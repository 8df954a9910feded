import os from 'node:os';
import type { Actor } from '../accounts/service.ts';

/** CLI actions are audited as `cli:<os user>`. */
export function cliActor(): Actor {
  let name = 'unknown';
  try {
    name = os.userInfo().username;
  } catch {
    // no passwd entry in some containers
  }
  return { name: `cli:${name}`, ip: null };
}
