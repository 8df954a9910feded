import cluster, { type Worker } from 'node:cluster';
import type { Readiness, ReadinessReport } from '../observability/readiness.ts';

/**
 * /readyz under `workers`: the primary asks every worker (IPC) and is ready only when all of
 * them are — a balancer must not send connections a worker would refuse. Each worker's
 * checks are reported under its slot (`worker0.redis`…).
 */
const ASK = 'passerelle:readyz';
const ANSWER = 'passerelle:readyz-answer';
const ANSWER_TIMEOUT_MS = 2500;

interface Ask {
  type: typeof ASK;
  id: number;
}
interface Answer {
  type: typeof ANSWER;
  id: number;
  report: ReadinessReport;
}

function isAnswer(message: unknown): message is Answer {
  return typeof message === 'object' && message !== null && (message as Answer).type === ANSWER;
}

/** In a worker: answers the primary's questions with this process's readiness. */
export function answerReadinessQuestions(readiness: Readiness): void {
  if (!cluster.isWorker) return;
  process.on('message', (message: unknown) => {
    if (typeof message !== 'object' || message === null || (message as Ask).type !== ASK) return;
    const { id } = message as Ask;
    void readiness.report().then((report) => process.send?.({ type: ANSWER, id, report } satisfies Answer));
  });
}

let next = 0;

function ask(worker: Worker): Promise<ReadinessReport> {
  const id = (next += 1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.off('message', onMessage);
      resolve({ ready: false, checks: { worker: `no answer within ${ANSWER_TIMEOUT_MS} ms` }, failed: ['worker'] });
    }, ANSWER_TIMEOUT_MS);
    function onMessage(message: unknown): void {
      if (!isAnswer(message) || message.id !== id) return;
      clearTimeout(timer);
      worker.off('message', onMessage);
      resolve(message.report);
    }
    worker.on('message', onMessage);
    worker.send({ type: ASK, id } satisfies Ask);
  });
}

/** In the primary: all workers' readiness as one report; not ready while stopping or short of workers. */
export async function clusterReadiness(workers: Map<Worker, number>, expected: number, stopping: () => boolean): Promise<ReadinessReport> {
  const checks: Record<string, string> = {};
  if (stopping()) checks.shutdown = 'draining';
  if (workers.size < expected) checks.workers = `${workers.size} of ${expected} running`;
  const reports = await Promise.all([...workers].map(async ([worker, index]) => [index, await ask(worker)] as const));
  for (const [index, report] of reports) for (const [name, value] of Object.entries(report.checks)) checks[`worker${index}.${name}`] = value;
  const failed = Object.entries(checks)
    .filter(([, value]) => value !== 'ok')
    .map(([name]) => name);
  return { ready: failed.length === 0, checks, failed };
}
