/**
 * The two kinds of gateway host. A session opened on an application host never opens the
 * console (which asks more: a coordinator's certificate and a second factor), nor the reverse.
 */
export type HostFamily = 'console' | 'applications';

/** What a gateway session holds once someone has signed in. */
export interface SessionAuth {
  userId: string;
  /** For the audit trail. */
  identifier: string;
  /** SHA-256 of the certificate the session was opened with: the session is bound to it. */
  fingerprint: string;
  /** The host family the session was opened on: checked on every request. */
  family: HostFamily;
  authenticatedAt: number;
  lastSeenAt: number;
  /**
   * The console's TOTP second factor was passed in this session. Never carried over: a login
   * writes a fresh `auth` into a regenerated session, so the flag starts unset.
   */
  secondFactor?: boolean;
}

export interface SessionLimits {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export type SessionVerdict = 'none' | 'valid' | 'certificate_mismatch' | 'host_family_mismatch' | 'idle_timeout' | 'absolute_timeout';

/** `family`: the host family of this request. A session from before families were recorded matches none. */
export function evaluateSession(auth: SessionAuth | undefined, fingerprint: string, family: HostFamily, now: number, limits: SessionLimits): SessionVerdict {
  if (!auth) return 'none';
  if (auth.fingerprint !== fingerprint) return 'certificate_mismatch';
  if (auth.family !== family) return 'host_family_mismatch';
  if (now - auth.authenticatedAt >= limits.absoluteTimeoutMs) return 'absolute_timeout';
  if (now - auth.lastSeenAt >= limits.idleTimeoutMs) return 'idle_timeout';
  return 'valid';
}

/** Activity is written back at most once a minute, to spare the session store. */
export function shouldTouch(auth: SessionAuth, now: number): boolean {
  return now - auth.lastSeenAt >= 60_000;
}
