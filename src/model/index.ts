/**
 * The entities and values every layer speaks of (rows as records, statuses, kinds). This folder
 * imports nothing (no node:, no package, nothing outside src/model): storage fills these types,
 * the domain and the surfaces read them. Feature-specific records live beside it
 * (model/legacy.ts, model/console.ts, …).
 */
export type Role = 'clinician' | 'coordinator';
export type AccountStatus = 'provisional' | 'active' | 'locked' | 'deactivated';
export type CertificateKind = 'personal' | 'collective';
export type CertificateStatus = 'valid' | 'revoked';

export interface User {
  id: string;
  identifier: string;
  givenName: string;
  familyName: string;
  email: string;
  establishmentId: string | null;
  role: Role;
  status: AccountStatus;
  passwordHash: string;
  failedLogins: number;
  lockedAt: number | null;
  lastLoginAt: number | null;
  lastLoginIp: string | null;
  /** The login before the current one: what "last login" shows to the person. */
  previousLoginAt: number | null;
  previousLoginIp: string | null;
  profession: string | null;
  /** RPPS (11 digits) or ADELI (9 digits). */
  rpps: string | null;
  /** A provisional password stops working after this time. */
  provisionalExpiresAt: number | null;
  termsAcceptedAt: number | null;
  notificationsOptIn: number;
  lang: 'fr' | 'en';
  createdAt: number;
  updatedAt: number;
}

export interface Establishment {
  id: string;
  name: string;
  finess: string | null;
  referentEmail: string;
  createdAt: number;
}

export interface CertificateRecord {
  serial: string;
  fingerprintSha256: string;
  kind: CertificateKind;
  userId: string | null;
  establishmentId: string | null;
  label: string;
  subject: string;
  notBefore: number;
  notAfter: number;
  status: CertificateStatus;
  revokedAt: number | null;
  revocationReason: string | null;
  pem: string;
  createdAt: number;
  renewalNotifiedAt?: number | null;
  replacesSerial?: string | null;
}

export interface Grant {
  userId: string;
  applicationId: string;
  status: 'granted' | 'revoked';
  createdAt: number;
  updatedAt: number;
}

export interface CrlRecord {
  number: number;
  der: Uint8Array;
  thisUpdate: number;
  nextUpdate: number;
}

export type AuditOutcome = 'success' | 'failure' | 'info';

export interface AuditEventInput {
  action: string;
  outcome: AuditOutcome;
  reason?: string | null;
  actor?: string | null;
  ip?: string | null;
  certificateSerial?: string | null;
  applicationId?: string | null;
  subject?: string | null;
  details?: Record<string, unknown> | null;
  /** The HTTP request that caused the event (its X-Request-Id); null from jobs and the CLI. Set by the auditor. */
  requestId?: string | null;
}

export interface AuditEvent extends Required<Omit<AuditEventInput, 'details'>> {
  id: number;
  at: number;
  details: Record<string, unknown> | null;
}

export interface AuditFilter {
  action?: string;
  subject?: string;
  actor?: string;
  applicationId?: string;
  ip?: string;
  since?: number;
  until?: number;
  limit?: number;
}

export type DecisionStatus = 'pending' | 'approved' | 'rejected';

export interface Decision {
  decidedBy: string | null;
  decidedAt: number | null;
  decisionReason: string | null;
}

export interface Registration extends Decision {
  id: string;
  givenName: string;
  familyName: string;
  email: string;
  profession: string | null;
  rpps: string | null;
  establishmentId: string | null;
  establishmentName: string | null;
  reason: string | null;
  requestedApplication: string | null;
  lang: 'fr' | 'en';
  status: DecisionStatus;
  userId: string | null;
  ip: string | null;
  createdAt: number;
}

export interface CertificateRequest extends Decision {
  id: string;
  kind: CertificateKind;
  userId: string | null;
  establishmentId: string | null;
  label: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  requestedBy: string;
  certificateSerial: string | null;
  createdAt: number;
}

export interface WithdrawalCode {
  id: string;
  requestId: string;
  codeHash: string;
  status: 'unused' | 'used' | 'locked' | 'superseded';
  failedAttempts: number;
  expiresAt: number;
  usedAt: number | null;
  csrSha256: string | null;
  certificateSerial: string | null;
  createdAt: number;
}

export interface AccessRequest extends Decision {
  id: string;
  userId: string;
  applicationId: string;
  status: 'pending' | 'granted' | 'rejected';
  createdAt: number;
}

export interface OutboxMessage {
  id: string;
  recipient: string;
  template: string;
  lang: 'fr' | 'en';
  /** JSON of the template's data; scrubbed once sent (it may hold a code or a password). */
  payload: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface ApiToken {
  id: string;
  name: string;
  secretHash: string;
  userId: string;
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  revokedAt: number | null;
}

export interface EmailChange {
  id: string;
  userId: string;
  newEmail: string;
  tokenHash: string;
  expiresAt: number;
  confirmedAt: number | null;
  createdAt: number;
}

/** An account or a registration as the duplicate check compares it (`identifier`: accounts only; `userId`: the account an approved registration made). */
export interface DuplicateCandidate {
  id: string;
  identifier: string | null;
  givenName: string;
  familyName: string;
  email: string;
  rpps: string | null;
  status: string;
  userId: string | null;
}

/** One forgotten-password link, as stored (the token itself never is: only its SHA-256). */
export interface PasswordReset {
  id: string;
  tokenHash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
  /** Set once: when the link was used, or when a newer link replaced it. */
  usedAt: number | null;
  createdIp: string | null;
}
