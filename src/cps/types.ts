import type { NationalIdKind } from './national-id.ts';

/** What the gateway keeps about a recognised CPS card (CertificateContext.cps). */
export interface CpsCardInfo {
  /** As on the card: `8`+RPPS or `0`+ADELI. */
  nationalId: string;
  kind: NationalIdKind;
  /** The CA that issued the card. */
  issuer: string;
}

/** Why a card that chains to a CPS anchor still opens nothing (audit details; the denied page's hint). */
export type CpsProblem = 'no_national_id' | 'unknown_holder' | 'ambiguous_holder' | 'crl_stale';

export interface CpsDenial {
  nationalId: string | null;
  problem: CpsProblem | null;
}

/** The label a CPS card's certificate carries on pages and in the audit trail. */
export const CPS_CARD_LABEL = 'Carte CPS';
