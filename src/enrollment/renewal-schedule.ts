import type { Runtime } from '../core/runtime.ts';
import { startPeriodicJob, type PeriodicJob } from '../shared/periodic.ts';
import { sendRenewalNotices } from './renewal.ts';

/** Renewal notices at start and then every `intervalMs` (default 6 hours). */
export function startRenewalNotices(runtime: Runtime, intervalMs = 6 * 3_600_000): PeriodicJob {
  return startPeriodicJob('renewal notices', () => sendRenewalNotices(runtime), intervalMs);
}
