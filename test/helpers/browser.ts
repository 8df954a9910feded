/**
 * Debian's Chromium (never a downloaded browser), with the flags this closed network needs.
 * `*.localhost` hosts given here resolve to the loopback in Chromium.
 */
export function chromiumArgs(...hosts: string[]): string[] {
  const base = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
  return hosts.length ? [...base, `--host-resolver-rules=${hosts.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`] : base;
}
