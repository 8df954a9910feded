import type { Clock } from '../shared/clock.ts';
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

  /** Adds a listener to this auditor and every one derived from it with `with`. */
  onRecord(listener: AuditListener): void {
    this.listeners.push(listener);
  }

  /** The same auditor writing through another repository (inside a transaction). */
  with(repository: AuditRepository): Auditor {
    return new Auditor(repository, this.clock, this.listeners);
  }
}
