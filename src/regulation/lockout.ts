import type { Clock } from '../shared/clock.ts';
import type { Storage, User } from '../storage/index.ts';

export interface FailureOutcome {
  locked: boolean;
  /** Attempts left before the lock. */
  remaining: number;
}

/**
 * Counts consecutive password failures per account. The interface lets another store hold
 * the counters; the default keeps them in the database, shared by every replica and spent
 * with one atomic UPDATE.
 */
export interface LoginRegulator {
  registerFailure(user: User): Promise<FailureOutcome>;
  registerSuccess(user: User, ip: string | null): Promise<void>;
}

export class DatabaseLoginRegulator implements LoginRegulator {
  constructor(
    private readonly storage: Storage,
    private readonly clock: Clock,
    private readonly maxFailures: number,
  ) {}

  async registerFailure(user: User): Promise<FailureOutcome> {
    const result = await this.storage.users.recordFailure(user.id, this.maxFailures, this.clock.now().getTime());
    const failed = result?.failedLogins ?? this.maxFailures;
    return { locked: result?.status === 'locked', remaining: Math.max(this.maxFailures - failed, 0) };
  }

  registerSuccess(user: User, ip: string | null): Promise<void> {
    return this.storage.users.recordSuccess(user.id, ip, this.clock.now().getTime());
  }
}
