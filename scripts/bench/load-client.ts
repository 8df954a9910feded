/** Main-thread handle on the load-generating worker (scripts/bench/load-worker.ts). */
import { Worker } from 'node:worker_threads';
import type { RunResult, Target, WorkerReply, WorkerRequest } from './protocol.ts';

type Pending = { resolve: (result: RunResult | null) => void; reject: (error: Error) => void };
/** A request without its sequence number (Omit distributed over the union). */
type Request = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'seq'> : never) : never;

export class LoadClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #seq = 0;
  #ids = 0;

  constructor() {
    this.#worker = new Worker(new URL('./load-worker.ts', import.meta.url));
    this.#worker.on('message', (reply: WorkerReply) => {
      const pending = this.#pending.get(reply.seq);
      if (!pending) return;
      this.#pending.delete(reply.seq);
      if (reply.ok) pending.resolve(reply.result);
      else pending.reject(new Error(reply.error));
    });
    this.#worker.on('error', (error: Error) => this.#failAll(error));
    this.#worker.on('exit', (code) => this.#failAll(new Error(`load worker exited with code ${code}`)));
  }

  #failAll(error: Error): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }

  #call(request: Request): Promise<RunResult | null> {
    const seq = ++this.#seq;
    return new Promise((resolve, reject) => {
      this.#pending.set(seq, { resolve, reject });
      this.#worker.postMessage({ ...request, seq });
    });
  }

  /** A keep-alive pool against `target`; run it, then close it. */
  async open(target: Target): Promise<Pool> {
    const id = `pool-${++this.#ids}`;
    await this.#call({ op: 'open', id, target });
    return {
      run: async (count) => {
        const result = await this.#call({ op: 'run', id, count });
        if (!result) throw new Error('run returned nothing');
        return result;
      },
      close: async () => {
        await this.#call({ op: 'close', id });
      },
    };
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

export interface Pool {
  run(count: number): Promise<RunResult>;
  close(): Promise<void>;
}
