import { setDraining } from './metrics.ts';

/** One dependency /readyz asks: resolves when it answers, rejects (or times out) when not. */
export type ReadinessProbe = () => Promise<void>;

export interface ReadinessReport {
  ready: boolean;
  /** Each check by name: 'ok', or why not ('unreachable: …', 'starting', 'draining'). */
  checks: Record<string, string>;
  /** The names that failed, for the JSON body and the operator. */
  failed: string[];
}

const PROBE_TIMEOUT_MS = 2000;

function withTimeout(probe: ReadinessProbe, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    probe(),
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * What /readyz answers: not ready while starting (storage or Redis not yet reached), while
 * draining (stop signal received), or when a dependency does not answer now. The probes run
 * at each request, in parallel, each bounded by a timeout: the answer is never older than the call.
 */
export class Readiness {
  readonly #probes = new Map<string, ReadinessProbe>();
  #starting: string | null = 'starting';
  #draining = false;

  /** Adds (or replaces) a dependency check: storage, redis, events… */
  addCheck(name: string, probe: ReadinessProbe): void {
    this.#probes.set(name, probe);
  }

  /** While start-up waits for a dependency: what it waits for ('database: …'). */
  setStarting(why: string | null): void {
    this.#starting = why;
  }

  /** From the stop signal on, ready is false for good. */
  startDraining(): void {
    this.#draining = true;
    setDraining(true);
  }

  get draining(): boolean {
    return this.#draining;
  }

  async report(): Promise<ReadinessReport> {
    const checks: Record<string, string> = {};
    if (this.#starting) checks.startup = this.#starting;
    if (this.#draining) checks.shutdown = 'draining';
    await Promise.all(
      [...this.#probes].map(async ([name, probe]) => {
        try {
          await withTimeout(probe, PROBE_TIMEOUT_MS);
          checks[name] = 'ok';
        } catch (error) {
          checks[name] = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
    );
    const failed = Object.entries(checks)
      .filter(([, value]) => value !== 'ok')
      .map(([name]) => name);
    return { ready: failed.length === 0, checks, failed };
  }
}
