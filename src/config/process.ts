/** Set by the cluster primary on each worker it forks (src/app/cluster.ts): which slot the worker fills. */
export const WORKER_INDEX_ENV = 'PASSERELLE_WORKER_INDEX';

/** The slot of this worker (0 when unset): process bookkeeping, read here like every other variable. */
export function workerIndexFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const index = Number(env[WORKER_INDEX_ENV]);
  return Number.isInteger(index) && index >= 0 ? index : 0;
}
