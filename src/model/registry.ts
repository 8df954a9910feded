import type { AuditOutcome, CertificateKind, OutboxMessage, User } from './index.ts';

/** The console registry's read models (storage/repositories/registry.ts fills them). */

/**
 * A keyset ("seek") pagination position: the sort key of the last row shown
 * (registry/cursor.ts encodes it for clients).
 */
export interface Cursor {
  n: number;
  s: string;
}

export type CertificateState = 'valid' | 'expired' | 'revoked';

export interface CertificateQuery {
  kind?: CertificateKind;
  state?: CertificateState;
  establishmentId?: string;
  /** Valid certificates whose end falls within this many days; sorts by end date. */
  expiringWithinDays?: number;
  /** Serial prefix, holder identifier prefix or label fragment. */
  q?: string;
  now: number;
}

export interface CertificateRow {
  serial: string;
  fingerprintSha256: string;
  kind: CertificateKind;
  label: string;
  subject: string;
  notBefore: number;
  notAfter: number;
  status: 'valid' | 'revoked';
  revokedAt: number | null;
  revocationReason: string | null;
  replacesSerial: string | null;
  createdAt: number;
  userId: string | null;
  identifier: string | null;
  givenName: string | null;
  familyName: string | null;
  establishmentId: string | null;
  establishmentName: string | null;
}

export interface PersonRow {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  role: User['role'];
  status: User['status'];
}

export interface GrantRow extends PersonRow {
  establishmentName: string | null;
  grantedAt: number;
}

export interface PendingAccessRow extends PersonRow {
  requestId: string;
  requestedAt: number;
}

export interface AuditQuery {
  /** Events about this person (subject) or by them (actor). */
  person?: string;
  /** An exact action, or a prefix when it ends with `*` (e.g. `certificate.*`). */
  action?: string;
  applicationId?: string;
  ip?: string;
  outcome?: AuditOutcome;
  since?: number;
  until?: number;
}

export type OutboxRow = Omit<OutboxMessage, 'payload' | 'lockedUntil'>;
