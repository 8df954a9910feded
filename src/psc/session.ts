/**
 * What a gateway session opened by Pro Santé Connect holds (`req.session.psc`). It has no
 * certificate: it is bound to its own session cookie, to the application host it was opened
 * on, and to a `psc_sessions` row (the provider's `sid`) that the provider's logout ends.
 */
export interface PscSessionAuth {
  /** The psc_sessions row. */
  id: string;
  userId: string;
  identifier: string;
  /** Opened on this application only: another application host starts its own sign-in. */
  applicationId: string;
  acr: string | null;
  amr: string[];
  authenticatedAt: number;
  lastSeenAt: number;
  /** For RP-initiated logout (`id_token_hint`); an ID token, not a credential to call anything. */
  idToken: string;
  /** `applications[].signIn.passwordAfterPsc`: false until the account password has been given. */
  passwordPending: boolean;
}

export type PscSessionVerdict = 'none' | 'valid' | 'application_mismatch' | 'idle_timeout' | 'absolute_timeout';

export function evaluatePscSession(auth: PscSessionAuth | undefined, applicationId: string, now: number, limits: { idleTimeoutMs: number; absoluteTimeoutMs: number }): PscSessionVerdict {
  if (!auth) return 'none';
  if (auth.applicationId !== applicationId) return 'application_mismatch';
  if (now - auth.authenticatedAt >= limits.absoluteTimeoutMs) return 'absolute_timeout';
  if (now - auth.lastSeenAt >= limits.idleTimeoutMs) return 'idle_timeout';
  return 'valid';
}
