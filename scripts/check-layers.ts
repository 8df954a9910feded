/**
 * `npm run lint`'s layer check: dependency-cruiser's rules (.dependency-cruiser.cjs: tiers, file
 * cycles, who may know Express) and, on the same graph, cycles between folders — a feature
 * folder that imports another which imports it back. Exits 1 on any violation.
 */
import { createRequire } from 'node:module';
import { cruise, type ICruiseResult, type IModule } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
const ruleSet = require('../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };

/** src/http/gateway/x.ts → "http/gateway"; src/legacy/x.ts → "legacy"; src/app/x.ts → "app". */
export function folderOf(path: string): string | null {
  const match = /^src\/([^/]+)\/(?:([^/]+)\/)?/.exec(path);
  if (!match) return null;
  return match[1] === 'http' && match[2] ? `http/${match[2]}` : match[1]!;
}

/** Every elementary cycle between folders, found by a depth-first walk from each folder. */
export function folderCycles(modules: IModule[]): string[][] {
  const edges = new Map<string, Set<string>>();
  for (const module of modules) {
    const from = folderOf(module.source);
    if (!from) continue;
    for (const dependency of module.dependencies) {
      const to = folderOf(dependency.resolved);
      if (!to || to === from || (from.startsWith('http/') && to === 'http')) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
    }
  }
  const cycles = new Map<string, string[]>();
  const walk = (start: string, node: string, path: string[]) => {
    for (const next of edges.get(node) ?? []) {
      if (next === start) {
        const key = [...path].sort().join(' ');
        if (!cycles.has(key)) cycles.set(key, [...path, start]);
      } else if (!path.includes(next) && next > start) {
        walk(start, next, [...path, next]);
      }
    }
  };
  for (const start of [...edges.keys()].sort()) walk(start, start, [start]);
  return [...cycles.values()];
}

const result = await cruise(['src'], { ...ruleSet.options, validate: true, ruleSet: { forbidden: ruleSet.forbidden } } as never);
const output = result.output as ICruiseResult;
const problems: string[] = [];
for (const violation of output.summary.violations) {
  const via = violation.cycle?.length ? ` (cycle: ${violation.cycle.map((step) => (typeof step === 'string' ? step : step.name)).join(' → ')})` : '';
  problems.push(`${violation.rule.name}: ${violation.from} → ${violation.to}${via}`);
}
for (const cycle of folderCycles(output.modules.filter((m) => m.source.startsWith('src/')))) {
  problems.push(`no-folder-cycle: ${cycle.join(' → ')}`);
}
if (problems.length) {
  console.error(`Layer rules (README "Layout"): ${problems.length} violation(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Layer rules: ${output.summary.totalCruised} modules, no violation, no cycle between files or folders.`);
