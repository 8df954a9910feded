import type { CertificateRecord, Establishment, User } from '../model/index.ts';
import type { CpsCardInfo, CpsDenial } from '../cps/types.ts';
import type { DenialReason } from './denials.ts';

/**
 * A CPS card's certificate (IGC-Santé) as the gateway sees it: never stored in `certificates`,
 * kind 'cps' — so every `kind === 'personal'` check (renewal, admin API, SSO) leaves it out.
 */
export type CpsCardRecord = Omit<CertificateRecord, 'kind'> & { kind: 'cps' };

export interface CertificateContext {
  record: CertificateRecord | CpsCardRecord;
  /** The account of a personal certificate or of a CPS card. */
  owner: User | null;
  /** The establishment of a collective certificate. */
  establishment: Establishment | null;
  /** Set for a CPS card (then `owner` is its holder). */
  cps?: CpsCardInfo;
}

export type CertificateResolution =
  | { ok: true; context: CertificateContext }
  | { ok: false; reason: DenialReason; fingerprint: string | null; serial: string | null; notAfter?: number; cps?: CpsDenial };
