/** The coordination console's records: second factor, four-eyes approvals, dashboard counts. */

export interface TotpRecord {
  userId: string;
  /** Sealed (SecretBox), never the seed in clear. */
  secret: string;
  status: 'pending' | 'enabled';
  lastStep: number | null;
  createdAt: number;
  enabledAt: number | null;
}

export interface RecoveryCodeRecord {
  id: string;
  userId: string;
  lookup: string;
  codeHash: string;
  usedAt: number | null;
  createdAt: number;
}

export type ApprovalStatus = 'pending' | 'running' | 'done' | 'failed' | 'cancelled';

export interface ApprovalRecord {
  id: string;
  action: string;
  targetKind: string;
  targetId: string;
  /** JSON: what the action needs besides the item (e.g. a rejection's reason). */
  params: string;
  /** What the item is, as the second coordinator reads it (a name, a label). */
  summary: string;
  status: ApprovalStatus;
  requestedBy: string;
  requestedByUserId: string;
  requestedIp: string | null;
  requestedAt: number;
  decidedBy: string | null;
  decidedByUserId: string | null;
  decidedIp: string | null;
  decidedAt: number | null;
  error: string | null;
}

export type NewApproval = Pick<ApprovalRecord, 'id' | 'action' | 'targetKind' | 'targetId' | 'params' | 'summary' | 'requestedBy' | 'requestedByUserId' | 'requestedIp' | 'requestedAt'>;

export interface DashboardCounts {
  pendingRegistrations: number;
  pendingCertificateRequests: number;
  pendingAccessRequests: number;
  lockedAccounts: number;
  /** Valid certificates whose end falls within `expiringWithinDays` from now. */
  expiringCertificates: number;
  expiringWithinDays: number;
  failedMails: number;
  pendingSecondApprovals: number;
}
