/** The bench's report: rows per scenario and target, ratios against nginx, memory, revocation; Markdown for the README. */
import type { TreeRss } from './cpu.ts';
import type { Revocation } from './revocation.ts';
import type { Opened } from './sessions.ts';

export interface Row {
  scenario: string;
  target: string;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerRequest: number;
  failures: number;
  resumedShare: number;
}

export interface MemoryRow {
  /** A target's process tree (or redis-server, which holds the 2-worker instance's sessions). */
  tree: string;
  idle: TreeRss;
  afterLoad: TreeRss;
  afterSessions: TreeRss | null;
  /** Sessions opened on this instance, and how long that took. */
  opened: Opened | null;
}

export interface Report {
  date: string;
  machine: string;
  commit: string;
  settings: { seconds: number; repeat: number; concurrencies: number[]; sessions: number; sessionLanes: number; revocationConnections: number };
  rows: Row[];
  memory: MemoryRow[];
  revocation: Revocation;
  /** Why a column is missing (nginx or Redis absent). */
  notes: string[];
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const rss = (r: TreeRss | null) => (r ? `${mib(r.total)}${r.maxChild !== null ? ` (worker ≤ ${mib(r.maxChild)})` : ''}` : '–');
const ms = (value: number | null) => (value === null ? 'NOT within 10 s' : `${value.toFixed(0)} ms`);

/** Passerelle against nginx with as many workers: "Passerelle" with "nginx (1 worker)", "Passerelle (2 workers)" with "nginx (2 workers)". */
export function referenceOf(target: string): string | null {
  if (!target.startsWith('Passerelle')) return null;
  const workers = /\((\d+) workers?\)/.exec(target)?.[1] ?? '1';
  return workers === '1' ? 'nginx (1 worker)' : `nginx (${workers} workers)`;
}

export function renderTable(report: Report): string {
  const lines = [
    '| scenario | target | req/s | p50 ms | p99 ms | CPU µs/req | vs nginx req/s | vs nginx CPU |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of report.rows) {
    const reference = referenceOf(row.target);
    const nginx = reference ? report.rows.find((r) => r.scenario === row.scenario && r.target === reference) : undefined;
    const ratio = nginx ? `${(row.perSecond / nginx.perSecond).toFixed(2)}×` : '';
    const cpu = nginx ? `${(row.cpuUsPerRequest / nginx.cpuUsPerRequest).toFixed(1)}×` : '';
    const resumed = row.scenario.startsWith('resumed') ? ` (${Math.round(row.resumedShare * 100)} % resumed)` : '';
    lines.push(`| ${row.scenario}${resumed} | ${row.target} | ${row.perSecond.toFixed(0)} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.cpuUsPerRequest.toFixed(0)} | ${ratio} | ${cpu} |${row.failures ? ` ${row.failures} failed` : ''}`);
  }
  return lines.join('\n');
}

export function renderMemory(report: Report): string {
  const sessions = report.settings.sessions;
  const lines = [
    `| RSS of the process tree | idle | after the load | after ${sessions.toLocaleString('en-GB')} sessions | sessions opened in |`,
    '|---|---:|---:|---:|---:|',
  ];
  for (const row of report.memory) {
    const opened = row.opened ? `${row.opened.seconds.toFixed(0)} s (${row.opened.lanes} lanes, ${(row.opened.sessions / row.opened.seconds).toFixed(0)}/s)` : '';
    lines.push(`| ${row.tree} | ${rss(row.idle)} | ${rss(row.afterLoad)} | ${rss(row.afterSessions)} | ${opened} |`);
  }
  return lines.join('\n');
}

export function renderRevocation(report: Report): string {
  const r = report.revocation;
  const lines = [
    '| revocation, instance | keep-alive connections | workers hit | last refused, from the store\'s revokedAt | first refused, from the CLI\'s exit | last refused, from the CLI\'s exit |',
    '|---|---:|---:|---:|---:|---:|',
    ...r.instances.map((i) => `| ${i.instance} | ${i.connections} | ${i.workersHit} of ${i.workers} | ${ms(i.lastFromRecordMs)} | ${ms(i.firstMs)} | ${ms(i.lastMs)}${i.notRefused ? ` (${i.notRefused} never refused)` : ''} |`),
    '',
    `\`passerelle cert revoke\` ran in another process for ${r.cliMs.toFixed(0)} ms (start-up, revocation, new CRL); 0 from its exit: refused before it had exited. One connection alone to the first instance (the earlier figure): ${ms(r.singleConnectionMs)}.`,
  ];
  return lines.join('\n');
}

export function renderMarkdown(report: Report): string {
  const lines = [
    `Bench of ${report.date} — ${report.machine}, commit ${report.commit}; ${report.settings.repeat} interleaved round(s) of ${report.settings.seconds} s per scenario and target, medians; CPU is the target's whole process tree.`,
    ...report.notes.map((note) => `\nNote: ${note}.`),
    '',
    renderTable(report),
    '',
    renderMemory(report),
    '',
    renderRevocation(report),
  ];
  return `${lines.join('\n')}\n`;
}
