import type { Runtime } from '../core/runtime.ts';
import type { Actor } from '../accounts/service.ts';

/** What the registry operations use of the runtime (a test can hand over the whole runtime). */
export type RegistryDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor' | 'accounts' | 'authority'>;

/**
 * A coordinator acting from the console or the admin API: who, from which IP and with which
 * certificate. Structurally an `Actor`, so it goes straight to the approval and CA operations.
 */
export interface CoordinatorActor extends Actor {
  certificateSerial?: string | null;
}

