/** What a portal session holds once someone has signed in (not bound to a certificate). */
export interface PortalSessionAuth {
  userId: string;
  identifier: string;
  authenticatedAt: number;
  lastSeenAt: number;
}

export interface PortalSessionLimits {
  idleTimeoutMs: number;
  absoluteTimeoutMs: number;
}

export type PortalSessionVerdict = 'none' | 'valid' | 'idle_timeout' | 'absolute_timeout';

/** Idle and absolute limits, measured with the injected clock. */
export function evaluatePortalSession(auth: PortalSessionAuth | undefined, now: number, limits: PortalSessionLimits): PortalSessionVerdict {
  if (!auth) return 'none';
  if (now - auth.authenticatedAt >= limits.absoluteTimeoutMs) return 'absolute_timeout';
  if (now - auth.lastSeenAt >= limits.idleTimeoutMs) return 'idle_timeout';
  return 'valid';
}

/** Activity is written back at most once a minute, to spare the session store. */
export function shouldTouch(auth: PortalSessionAuth, now: number): boolean {
  return now - auth.lastSeenAt >= 60_000;
}
