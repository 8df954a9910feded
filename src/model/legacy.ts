/** The legacy tables' records (migration 006): mappings, imported accounts, conflicts, failure counters. */

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
