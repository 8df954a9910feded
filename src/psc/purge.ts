import type { Config } from '../config/schema.ts';
import type { Clock } from '../shared/clock.ts';
import type { Storage } from '../storage/index.ts';

const HOUR_MS = 3_600_000;

/**
 * How long a psc_sessions row is kept after it was opened: the sessions' absolute limit
 * (`session.absoluteTimeoutHours`, past which the gateway refuses the session whatever the row
 * says) plus a day, so a row never goes while a session it backs can still be valid, even with
 * replicas' clocks a little apart. Who signed in when stays in the audit trail.
 */
export function pscSessionRetentionMs(session: Pick<Config['session'], 'absoluteTimeoutHours'>): number {
  return (session.absoluteTimeoutHours + 24) * HOUR_MS;
}

/** One pass of the periodic purge (worker 0, src/app/serve.ts): the rows past retention; returns how many went. */
export function purgePscSessions(deps: { storage: Pick<Storage, 'pscSessions'>; clock: Clock; config: Pick<Config, 'session'> }): Promise<number> {
  return deps.storage.pscSessions.purgeBefore(deps.clock.now().getTime() - pscSessionRetentionMs(deps.config.session));
}
