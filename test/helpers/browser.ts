import { spawnSync } from 'node:child_process';
import dns from 'node:dns';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';
/** Where the choice is kept for this run: set by test/helpers/chromium-setup.ts, read by every test file. */
const CHOSEN = 'PASSERELLE_TEST_CHROMIUM';

/** The `--version` line of a Chromium binary, or null when it does not run. */
function versionOf(executable: string): string | null {
  const res = spawnSync(executable, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  return res.status === 0 && /chrom/i.test(res.stdout) ? res.stdout.trim() : null;
}

/** The Chromium shipped in the npm package @sparticuz/chromium, decompressed once into the temporary directory. */
async function npmChromium(): Promise<{ executable: string; version: string }> {
  const { default: Chromium } = await import('@sparticuz/chromium');
  for (let attempt = 0; ; attempt += 1) {
    const executable = await Chromium.executablePath();
    const version = versionOf(executable);
    if (version) return { executable, version };
    // A half-written copy left by an interrupted run: decompress again, once.
    if (attempt > 0) throw new Error(`the Chromium of @sparticuz/chromium does not run (${executable})`);
    rmSync(path.join(tmpdir(), 'chromium'), { force: true });
  }
}

/**
 * The Chromium the browser tests drive, never a browser download: the one named by
 * PASSERELLE_TEST_CHROMIUM when set, else Debian's /usr/bin/chromium when it runs (CI installs
 * it), else the one inside the npm devDependency @sparticuz/chromium. Chosen and printed once per
 * `npm test` (by the global setup); the choice is handed to the test files in the environment.
 */
export async function chromiumExecutable(): Promise<string> {
  const chosen = process.env[CHOSEN];
  if (chosen) return chosen;
  const debian = versionOf(DEBIAN_CHROMIUM);
  const { executable, version, source } = debian
    ? { executable: DEBIAN_CHROMIUM, version: debian, source: 'Debian package' }
    : { ...(await npmChromium()), source: `npm package @sparticuz/chromium (${DEBIAN_CHROMIUM} missing or not running)` };
  console.log(`[browser] Chromium for the browser tests: ${executable} — ${version}, from the ${source}`);
  process.env[CHOSEN] = executable;
  return executable;
}

/**
 * Flags for the chosen Chromium in this closed network (see chromiumExecutable).
 * `*.localhost` hosts given here resolve to the loopback in Chromium.
 */
export function chromiumArgs(...hosts: string[]): string[] {
  const base = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  return hosts.length ? [...base, `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`] : base;
}

/**
 * Playwright presents client certificates through a proxy in this process, which resolves hosts
 * with Node's resolver — where *.localhost does not resolve on these machines (DESIGN.md).
 * Points the given hosts at the loopback; returns the function that restores the resolver.
 */
export function loopbackInNode(...hosts: string[]): () => void {
  const original = dns.promises.lookup;
  dns.promises.lookup = (async (hostname: string, options?: dns.LookupAllOptions) => {
    if (!hosts.includes(hostname)) return original(hostname, options as dns.LookupAllOptions);
    if (options?.all) return options.family === 6 ? [] : [{ address: '127.0.0.1', family: 4 }];
    return { address: '127.0.0.1', family: 4 };
  }) as typeof dns.promises.lookup;
  return () => {
    dns.promises.lookup = original;
  };
}

const AXE = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url));

/** Serious and critical axe-core violations of the current page (axe evaluated over CDP: the page's CSP stays in force). */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(AXE, 'utf8'));
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown }> }> }> } }).axe.run();
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
  });
}
