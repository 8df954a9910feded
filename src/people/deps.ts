import type { Runtime } from '../core/runtime.ts';
import type { Actor } from '../accounts/service.ts';

/** What the people operations use of the runtime (a test or a script can hand over the whole runtime). */
export type PeopleDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor' | 'accounts' | 'authority'>;

/** A coordinator acting from the console, the API or the CLI. */
export interface PeopleActor extends Actor {
  /** The client certificate the coordinator used (console, API); null from the CLI. */
  certificateSerial?: string | null;
}

export const DAY_MS = 86_400_000;

