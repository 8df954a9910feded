/** The bench's report: rows per scenario and target, ratios against nginx, Markdown for the README. */

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

export interface Report {
  date: string;
  machine: string;
  settings: { seconds: number; repeat: number; concurrencies: number[]; sessions: number };
  rows: Row[];
  memory: { idleRssBytes: number; afterLoadRssBytes: number; afterSessionsRssBytes: number; sessions: number };
  revocationMs: number | null;
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export function renderMarkdown(report: Report): string {
  const lines = [
    `Bench of ${report.date} — ${report.machine}; ${report.settings.repeat} interleaved rounds of ${report.settings.seconds} s per scenario, medians.`,
    '',
    '| scenario | target | req/s | p50 ms | p99 ms | CPU µs/req | vs nginx req/s | vs nginx CPU |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of report.rows) {
    const nginx = report.rows.find((r) => r.scenario === row.scenario && r.target.startsWith('nginx'));
    const ratio = nginx && row.target === 'Passerelle' ? `${(row.perSecond / nginx.perSecond).toFixed(2)}×` : '';
    const cpu = nginx && row.target === 'Passerelle' ? `${(row.cpuUsPerRequest / nginx.cpuUsPerRequest).toFixed(1)}×` : '';
    const resumed = row.scenario.startsWith('resumed') ? ` (${Math.round(row.resumedShare * 100)} % resumed)` : '';
    lines.push(`| ${row.scenario}${resumed} | ${row.target} | ${row.perSecond.toFixed(0)} | ${row.p50Ms.toFixed(2)} | ${row.p99Ms.toFixed(2)} | ${row.cpuUsPerRequest.toFixed(0)} | ${ratio} | ${cpu} |${row.failures ? ` ${row.failures} failed` : ''}`);
  }
  lines.push('', `Passerelle RSS: idle ${mib(report.memory.idleRssBytes)}, after the load ${mib(report.memory.afterLoadRssBytes)}, after ${report.memory.sessions} more sessions ${mib(report.memory.afterSessionsRssBytes)}.`);
  lines.push(`Revocation by \`passerelle cert revoke\` (another process) refused on the live connection ${report.revocationMs === null ? 'NOT within 10 s' : `${report.revocationMs.toFixed(0)} ms after the command returned`}.`);
  return `${lines.join('\n')}\n`;
}
