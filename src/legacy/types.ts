import type { Actor } from '../accounts/service.ts';
import type { ApplicationConfig } from '../config/index.ts';
import type { Runtime } from '../core/runtime.ts';

/** What the legacy area uses from the runtime (no HTTP). */
export type LegacyDeps = Pick<Runtime, 'config' | 'clock' | 'random' | 'storage' | 'auditor'>;

/** An application's `legacy` block (config/schema.ts). */
export type LegacySettings = NonNullable<ApplicationConfig['legacy']>;

/** An application that has legacy identifiers to migrate. */
export type LegacyApplication = ApplicationConfig & { legacy: LegacySettings };

/** Legacy mapping: `unmapped → mapped → cut over` (DESIGN.md, States). */
export interface LegacyMapping {
  id: string;
  userId: string;
  applicationId: string;
  /** As the application knows it (the imported spelling in directory mode, as typed in http mode). */
  legacyUsername: string;
  status: 'mapped' | 'cut_over';
  createdAt: number;
  cutOverAt: number | null;
  cutOverBy: string | null;
}

/** Directory mode: one imported account of the application. */
export interface LegacyAccount {
  id: string;
  applicationId: string;
  username: string;
  displayName: string | null;
  email: string | null;
  passwordHash: string;
  importedAt: number;
  updatedAt: number;
}

export interface LegacyConflict {
  id: string;
  applicationId: string;
  legacyUsername: string;
  /** Who proved the legacy credentials. */
  claimantUserId: string;
  /** Who the legacy identifier is mapped to. */
  holderUserId: string;
  createdAt: number;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: 'dismissed' | 'reassigned' | null;
}

export interface LegacyLock {
  applicationId: string;
  usernameKey: string;
  failures: number;
  lockedAt: number | null;
  updatedAt: number;
}

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
