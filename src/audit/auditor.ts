import type { Clock } from '../shared/clock.ts';
import { PasserelleError } from '../shared/errors.ts';
import { currentRequestId } from '../shared/request-context.ts';
import type { AuditRepository } from '../storage/index.ts';
import type { AuditEventInput } from '../model/index.ts';

/** Told of every event once it is written (metrics count logins, lockouts, revocations from here). */
export type AuditListener = (event: AuditEventInput) => void;

/**
 * Every decision and state change goes through here. Never give it a secret: details are
 * stored as they are. Each row carries the id of the request that caused it, when there is one.
 */
export class Auditor {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
    private readonly listeners: AuditListener[] = [],
  ) {}

  async record(event: AuditEventInput): Promise<void> {
    const stamped = event.requestId === undefined ? { ...event, requestId: currentRequestId() } : event;
    await this.repository.append(stamped, this.clock.now().getTime());
    for (const listener of this.listeners) {
      try {
        listener(stamped);
      } catch {
        // A listener (metrics) never fails the audited action.
      }
    }
  }

  /**
   * Runs an operation; a refusal meant for the client (an exposed PasserelleError: bad input, not
   * found, out of scope, already decided) leaves a failure row with its code as the reason — written
   * on its own, since the operation's transaction rolled back — and is rethrown.
   */
  async refusalsOf<T>(event: Omit<AuditEventInput, 'outcome' | 'reason'>, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (error instanceof PasserelleError && error.expose) await this.record({ ...event, outcome: 'failure', reason: error.code });
      throw error;
    }
  }

  /** Adds a listener to this auditor and every one derived from it with `with`. */
  onRecord(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** The same auditor writing through another repository (inside a transaction). */
  with(repository: AuditRepository): Auditor {
    return new Auditor(repository, this.clock, this.listeners);
  }
}
