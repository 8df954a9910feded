/** Starting and stopping the bench's processes: each in its own process group, killed as a group. */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import net from 'node:net';

export interface Started {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Ready when its output matches `ready`, or when `port` accepts connections. */
export function start(command: string, args: string[], options: SpawnOptions & { ready?: RegExp; port?: number; label: string; timeoutMs?: number }): Promise<Started> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => fail(new Error(`${options.label}: not ready after ${options.timeoutMs ?? 60_000} ms\n${output.slice(-2000)}`)), options.timeoutMs ?? 60_000);
    let done = false;
    const succeed = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.stdout?.resume();
      child.stderr?.resume();
      resolve({ child, pid: child.pid!, stop: () => stop(child) });
    };
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (options.ready?.test(output)) succeed();
    };
    if (options.port !== undefined) void waitForPort(options.port, () => done).then((open) => open && succeed());
    const fail = (error: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void stop(child);
      reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => fail(new Error(`${options.label} exited (${code}) before it was ready\n${output.slice(-2000)}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, given: () => boolean): Promise<boolean> {
  while (!given()) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (open) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
