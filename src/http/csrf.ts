import { timingSafeEqual } from 'node:crypto';
import type { Session, SessionData } from 'express-session';
import type { Random } from '../shared/random.ts';

/** Synchroniser token kept in the session. */
export function csrfToken(session: Session & Partial<SessionData>, random: Random): string {
  session.csrf ??= random.bytes(24).toString('base64url');
  return session.csrf;
}

export function csrfValid(session: Partial<SessionData>, submitted: unknown): boolean {
  if (typeof submitted !== 'string' || !session.csrf) return false;
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(submitted);
  return a.length === b.length && timingSafeEqual(a, b);
}
