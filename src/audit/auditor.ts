import type { Clock } from '../shared/clock.ts';
import type { AuditEventInput, AuditRepository } from '../storage/index.ts';

/**
 * Every decision and state change goes through here. Never give it a secret: details are
 * stored as they are.
 */
export class Auditor {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  record(event: AuditEventInput): Promise<void> {
    return this.repository.append(event, this.clock.now().getTime());
  }

  /** The same auditor writing through another repository (inside a transaction). */
  with(repository: AuditRepository): Auditor {
    return new Auditor(repository, this.clock);
  }
}
