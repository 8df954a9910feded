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
