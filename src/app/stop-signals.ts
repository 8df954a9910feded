import { constants } from 'node:os';
import { logger } from '../shared/logger.ts';

/**
 * SIGTERM/SIGINT: the first one starts `stop` (graceful: see serve), a second one exits at once
 * with 128 + the signal's number, as a shell would report it.
 */
export function onStopSignals(stop: (signal: NodeJS.Signals) => void): void {
  let received = false;
  const handle = (signal: NodeJS.Signals) => {
    if (received) {
      logger.warn('second stop signal: exiting now', { signal });
      logger.flush();
      process.exit(128 + (constants.signals[signal] ?? 0));
    }
    received = true;
    stop(signal);
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
