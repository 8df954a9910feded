/**
 * The report as a PNG: req/s and CPU µs per request, one group of bars per scenario, one bar per
 * target. Inline SVG in a page rendered by headless Chromium (playwright-core) and screenshotted;
 * the Chromium is the one the browser tests use (test/helpers/browser.ts: Debian's, else the npm
 * package's). Without one, no PNG and the reason.
 */
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumExecutable } from '../../../test/helpers/browser.ts';
import type { Report, Row } from './report.ts';

const COLORS = ['#8c8c8c', '#2a9d8f', '#1d6f66', '#e76f51', '#9b2c14', '#6a4c93'];
const WIDTH = 1400;
const PANEL_HEIGHT = 380;
const MARGIN = { left: 80, right: 20, top: 40, bottom: 90 };

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map((m) => m * power).find((m) => m >= value)!;
}

function panel(title: string, rows: Row[], scenarios: string[], targets: string[], value: (row: Row) => number): string {
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = niceMax(Math.max(...rows.map(value)));
  const groupW = plotW / scenarios.length;
  const barW = (groupW * 0.8) / targets.length;
  const y = (v: number) => MARGIN.top + plotH - (v / max) * plotH;
  const parts: string[] = [`<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escape(title)}</text>`];
  for (let i = 0; i <= 5; i += 1) {
    const v = (max / 5) * i;
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>`);
    parts.push(`<text x="${MARGIN.left - 6}" y="${y(v) + 4}" font-size="11" text-anchor="end">${Math.round(v).toLocaleString('en-GB')}</text>`);
  }
  scenarios.forEach((scenario, s) => {
    const x0 = MARGIN.left + s * groupW + groupW * 0.1;
    targets.forEach((target, t) => {
      const row = rows.find((r) => r.scenario === scenario && r.target === target);
      if (!row) return;
      const v = value(row);
      const x = x0 + t * barW;
      parts.push(`<rect x="${x}" y="${y(v)}" width="${barW - 2}" height="${Math.max(0, MARGIN.top + plotH - y(v))}" fill="${COLORS[t % COLORS.length]}"><title>${escape(`${target}: ${v.toFixed(0)}`)}</title></rect>`);
      parts.push(`<text x="${x + (barW - 2) / 2}" y="${y(v) - 3}" font-size="9" text-anchor="middle">${Math.round(v)}</text>`);
    });
    const words = scenario.split(' ');
    const half = Math.ceil(words.length / 2);
    const cx = MARGIN.left + s * groupW + groupW / 2;
    parts.push(`<text x="${cx}" y="${MARGIN.top + plotH + 18}" font-size="12" text-anchor="middle">${escape(words.slice(0, half).join(' '))}</text>`);
    parts.push(`<text x="${cx}" y="${MARGIN.top + plotH + 33}" font-size="12" text-anchor="middle">${escape(words.slice(half).join(' '))}</text>`);
  });
  targets.forEach((target, t) => {
    const x = MARGIN.left + t * 200;
    const ly = PANEL_HEIGHT - 22;
    parts.push(`<rect x="${x}" y="${ly - 10}" width="12" height="12" fill="${COLORS[t % COLORS.length]}"/><text x="${x + 18}" y="${ly}" font-size="12">${escape(target)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${PANEL_HEIGHT}" font-family="DejaVu Sans, sans-serif">${parts.join('')}</svg>`;
}

export function chartHtml(report: Report): string {
  const scenarios = [...new Set(report.rows.map((r) => r.scenario))];
  const targets = [...new Set(report.rows.map((r) => r.target))];
  const cpuRows = report.rows.filter((r) => r.cpuUsPerRequest > 0);
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{margin:0;padding:12px;background:#fff;width:${WIDTH}px}p{font:12px "DejaVu Sans",sans-serif;margin:4px 0 8px}</style></head><body>
<p>${escape(`Passerelle bench, ${report.date} — ${report.machine}, commit ${report.commit}; medians of ${report.settings.repeat} interleaved round(s) of ${report.settings.seconds} s`)}</p>
${panel('Requests per second (higher is better)', report.rows, scenarios, targets, (r) => r.perSecond)}
${panel("CPU µs per request, the target's whole process tree (lower is better)", cpuRows, scenarios, targets, (r) => r.cpuUsPerRequest)}
</body></html>`;
}

/** Writes the PNG; returns null when written, else why not. */
export async function renderChart(report: Report, file: string): Promise<string | null> {
  let executable: string;
  try {
    executable = await chromiumExecutable();
  } catch (error) {
    return `no Chromium (Debian: apt-get install chromium, or npm install @sparticuz/chromium): ${error instanceof Error ? error.message : String(error)}`;
  }
  let browser: Awaited<ReturnType<typeof chromium.launch>>;
  try {
    browser = await chromium.launch({ executablePath: executable, args: chromiumArgs(), headless: true });
  } catch (error) {
    return `Chromium ${executable} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH + 24, height: 800 } });
    await page.setContent(chartHtml(report));
    await page.screenshot({ path: file, fullPage: true });
    return null;
  } finally {
    await browser.close();
  }
}
