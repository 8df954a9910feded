/** Runs scripts/bench/proxy/load-generator.ts in its own process and samples the target's CPU around the measured part only. */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { treeCpuUs } from './cpu.ts';

export interface LoadSpec {
  url: string;
  host?: string;
  servername?: string;
  cert?: string;
  key?: string;
  ca?: string;
  cookie?: string;
  concurrency: number;
  requests: number;
  /** Stop after this many seconds even if `requests` are not all sent. */
  seconds?: number;
  warmup: number;
  keepAlive: boolean;
  handshakeOnly?: boolean;
  /** Path on the target instead of the URL's (e.g. /large). */
  path?: string;
  resume?: boolean;
}

export interface LoadResult {
  requests: number;
  failures: number;
  failureKinds: Record<string, number>;
  resumed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  bytes: number;
  generatorCpuUs: number;
  /** CPU of the target's whole process tree during the measured part, per request. */
  targetCpuUsPerRequest: number;
}

const SCRIPT = fileURLToPath(new URL('./load-generator.ts', import.meta.url));

export function runLoad(spec: LoadSpec, targetPids: number[]): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(SCRIPT, [JSON.stringify(spec)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let cpu0 = 0;
    const cpu = () => targetPids.reduce((sum, pid) => sum + treeCpuUs(pid), 0);
    child.on('message', (message: { phase: string; result?: Omit<LoadResult, 'targetCpuUsPerRequest'> }) => {
      if (message.phase === 'measure') {
        cpu0 = cpu();
        child.send('go');
      } else if (message.phase === 'done' && message.result) {
        const used = cpu() - cpu0;
        resolve({ ...message.result, targetCpuUsPerRequest: used / Math.max(1, message.result.requests) });
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) reject(new Error(`load generator exited with ${code}`));
    });
  });
}
