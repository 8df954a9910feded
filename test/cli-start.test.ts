// bin/passerelle.js: the CLI starts, and under the re-launch path (a system Node older than 24,
// forced here with PASSERELLE_FORCE_RELAUNCH=1) exit codes and signals reach the real process.
// No timings: only eventual states, with generous timeouts.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './helpers/gateway.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/passerelle.js');
const run = promisify(execFile);
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'passerelle-start-'));
  dirs.push(dir);
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Resolves once `predicate` holds, polling; rejects after `limitMs` (generous: not a performance check). */
async function eventually(predicate: () => Promise<boolean> | boolean, what: string, limitMs = 90_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`still not true after ${limitMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
  });
}

function alive(pid: number): boolean {
  // /proc/<pid>/stat says Z for a zombie: exited, not yet reaped, already gone for our purpose.
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) && !/^\d+ \(.*\) Z /.test(readFileSync(stat, 'utf8'));
}

function childrenOf(pid: number): number[] {
  const file = `/proc/${pid}/task/${pid}/children`;
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number) : [];
}

describe('bin/passerelle.js', () => {
  it('prints the help and exits 0', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help'], { cwd: ROOT });
    expect(stdout).toContain('Usage: passerelle');
    expect(stdout).toContain('serve');
  }, 120_000);

  it("re-launched, exits with the child's exit code", async () => {
    const file = path.join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'listeners:\n  gateway:\n    port: -1\n');
    const result = await run(process.execPath, [BIN, 'config'], { cwd: ROOT, env: { ...process.env, PASSERELLE_FORCE_RELAUNCH: '1', PASSERELLE_CONFIG: file } }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect('code' in result && result.code).toBe(78);
    expect((result as { stderr: string }).stderr).toContain('listeners.gateway.port');
  }, 120_000);

  it('re-launched, passes SIGTERM on: the server child stops and the parent exits', async () => {
    const [publicPort, gatewayPort] = [await freePort(), await freePort()];
    const env = {
      ...process.env,
      PASSERELLE_FORCE_RELAUNCH: '1',
      PASSERELLE_DATA_DIR: tempDir(),
      PASSERELLE_PUBLIC_PORT: String(publicPort),
      PASSERELLE_GATEWAY_PORT: String(gatewayPort),
      DATABASE_URL: '',
      REDIS_URL: '',
      // Any free port for the admin listener: several servers may run at once in the tests.
      PASSERELLE_ADMIN_PORT: '0',
    };
    const parent: ChildProcess = spawn(process.execPath, [BIN, 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let server: number | undefined;
    parent.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => parent.on('exit', (code, signal) => resolve({ code, signal })));
    try {
      await eventually(async () => (await accepts(publicPort)) && (await accepts(gatewayPort)), `the server listens (stderr: ${stderr})`);
      server = childrenOf(parent.pid!)[0];
      expect(server).toBeGreaterThan(0);
      expect(alive(server!)).toBe(true);

      parent.kill('SIGTERM');

      // serve stops on SIGTERM and exits 0; the parent exits with that code.
      expect(await exited).toEqual({ code: 0, signal: null });
      await eventually(() => !alive(server!), 'the server process is gone');
      expect(await accepts(publicPort)).toBe(false);
      expect(await accepts(gatewayPort)).toBe(false);
      expect(stderr).toMatch(/"signal":"SIGTERM".*"msg":"stopping/);
    } finally {
      // A failed run must not leave a server behind.
      if (server && alive(server)) process.kill(server, 'SIGKILL');
      if (parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    }
  }, 240_000);
});
