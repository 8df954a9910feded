import type { Actor } from '../accounts/service.ts';
import type { ApplicationConfig } from '../config/index.ts';
import type { Runtime } from '../core/runtime.ts';

/** What the legacy area uses from the runtime (no HTTP). */
export type LegacyDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor'>;

/** An application's `legacy` block (config/schema.ts). */
export type LegacySettings = NonNullable<ApplicationConfig['legacy']>;

/** An application that has legacy identifiers to migrate. */
export type LegacyApplication = ApplicationConfig & { legacy: LegacySettings };

/** Outcome of checking a legacy identifier and password against the application. */
export type CredentialCheck =
  /** `username`: the spelling to store (the imported one in directory mode). */
  | { verdict: 'valid'; username: string }
  | { verdict: 'invalid' }
  /** Timeout, network error, 5xx: says nothing about the password, so not counted. */
  | { verdict: 'unavailable'; reason: string };

/** Who acts for the cell (console, API, CLI): audited with the certificate of the connection when there is one. */
export interface LegacyActor extends Actor {
  certificateSerial?: string | null;
}
