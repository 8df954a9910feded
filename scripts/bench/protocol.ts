/**
 * Messages between the benchmark (which hosts the gateway and the demo upstream on its main
 * thread) and the load-generating worker thread. Keeping the client on its own thread means
 * the gateway's event loop does not also pay for the client's TLS and HTTP parsing.
 */

export interface TlsMaterial {
  certPem: string;
  keyPem: string;
  caPem: string;
  servername: string;
}

/** One keep-alive connection pool against one URL, driven closed-loop at a fixed concurrency. */
export interface Target {
  protocol: 'http' | 'https';
  port: number;
  path: string;
  method: 'GET';
  headers: Record<string, string>;
  tls: TlsMaterial | null;
  concurrency: number;
  expectStatus: number;
}

export type WorkerRequest =
  | { seq: number; op: 'open'; id: string; target: Target }
  | { seq: number; op: 'run'; id: string; count: number }
  | { seq: number; op: 'close'; id: string };

export interface RunResult {
  /** Per-request latency in ms (performance.now()), in issue order. */
  latencies: Float64Array<ArrayBuffer>;
  wallMs: number;
  /** Connections the pool has opened since `open` (keep-alive check: should equal concurrency). */
  connections: number;
}

export type WorkerReply = { seq: number; ok: true; result: RunResult | null } | { seq: number; ok: false; error: string };
