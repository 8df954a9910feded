import dns from 'node:dns';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/**
 * Debian's Chromium (never a downloaded browser), with the flags this closed network needs.
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
