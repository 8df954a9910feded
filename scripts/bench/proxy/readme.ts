/**
 * `npm run bench -- --readme` (or BENCH_README=1): the block between `<!-- bench:start -->` and
 * `<!-- bench:end -->` in README.md ("Performance") becomes the latest report and how it was
 * produced. Only that block changes; the markers stay.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Report } from './report.ts';
import { renderMarkdown } from './report.ts';

export const START = '<!-- bench:start -->';
export const END = '<!-- bench:end -->';

export function readmeBlock(report: Report, command: string, chart: string | null): string {
  const s = report.settings;
  return [
    `Produced by \`${command}\` on ${report.date.slice(0, 10)} (${report.machine}, commit ${report.commit}): ${s.repeat} interleaved round(s) of ${s.seconds} s per scenario and target, concurrency ${s.concurrencies.join(', ')}, ${s.sessions.toLocaleString('en-GB')} sessions per instance (${s.sessionLanes} lanes), ${s.revocationConnections} connections per instance for the revocation.${chart ? ` Chart: \`${chart}\` (not committed).` : ''}`,
    '',
    renderMarkdown(report).trimEnd(),
  ].join('\n');
}

/** Replaces the block's content; throws when the markers are missing or out of order (nothing written then). */
export function updateReadme(file: string, block: string): void {
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  if (start < 0 || end < start || text.indexOf(START, start + 1) >= 0) throw new Error(`${file}: expected one ${START} … ${END} block`);
  writeFileSync(file, `${text.slice(0, start + START.length)}\n${block}\n${text.slice(end)}`);
}
