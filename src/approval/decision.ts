import { BadRequestError, ConflictError, NotFoundError } from '../shared/errors.ts';
import type { ApprovalDeps, Actor } from './deps.ts';

const MAX_REASON = 2000;

/** A rejection always says why: the reason is mailed to the person. */
export function requireReason(reason: string | null | undefined): string {
  const text = (reason ?? '').trim();
  if (!text) throw new BadRequestError('reason_required', 'a rejection needs a reason (it is sent to the person)');
  if (text.length > MAX_REASON) throw new BadRequestError('reason_too_long', `the reason is longer than ${MAX_REASON} characters`);
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text)) throw new BadRequestError('invalid_characters', 'the reason contains control characters');
  return text;
}

export function notFound(what: string, id: string): NotFoundError {
  return new NotFoundError('not_found', `no ${what} ${id}`);
}

/** Decisions are taken once; the conditional UPDATE in the repositories enforces it under races. */
export function alreadyDecided(what: string, id: string, status: string): ConflictError {
  return new ConflictError('already_decided', `${what} ${id} is already ${status}`);
}

export function requirePending<T extends { status: string }>(what: string, id: string, row: T | undefined): T {
  if (!row) throw notFound(what, id);
  if (row.status !== 'pending') throw alreadyDecided(what, id, row.status);
  return row;
}

/** The conditional UPDATE changed nothing: someone else decided in the meantime (the caller's transaction rolls back). */
export function decidedOnce(changed: boolean, what: string, id: string): void {
  if (!changed) throw alreadyDecided(what, id, 'decided');
}

/**
 * Runs a decision; a refused one (bad input, not found, already decided) leaves a failure
 * row in the audit trail — written on its own, since the decision's transaction rolled back.
 */
export function audited<T>(deps: ApprovalDeps, event: { action: string; actor: Actor; subject: string; details?: Record<string, unknown> }, fn: () => Promise<T>): Promise<T> {
  return deps.auditor.refusalsOf(
    { action: event.action, actor: event.actor.name, ip: event.actor.ip ?? null, certificateSerial: event.actor.certificateSerial ?? null, subject: event.subject, details: event.details ?? null },
    fn,
  );
}

