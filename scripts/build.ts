/**
 * `npm run build`: compiles src/ to dist/ for production start-up (no tsx or esbuild at run time).
 *   1. the browser bundles (scripts/build-assets.ts) into src/http/assets/;
 *   2. tsc -p tsconfig.build.json (type errors fail the build);
 *   3. every non-TypeScript file under src/ (SQL migrations, assets, word lists…) copied to the same
 *      place under dist/, so `new URL('./…', import.meta.url)` finds it from the compiled code;
 *   4. files left in dist/ by sources since moved or deleted are removed;
 *   5. the stamp bin/passerelle.js checks (bin/dist-state.js).
 * Globs src/, never lists it. `--if-stale` does nothing when dist/ is already fresh (`npm start`).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAssets } from './build-assets.ts';
import { distState, newestSourceTime, STAMP } from '../bin/dist-state.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const TS = /\.tsx?$/;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** The source a dist/ file comes from, or null for the build's own files. */
function sourcesOf(distFile: string): string[] | null {
  if (distFile === STAMP || distFile === '.tsbuildinfo') return null;
  const compiled = /^(.*)\.js(\.map)?$/.exec(distFile);
  const copies = [distFile];
  return compiled ? [...copies, `${compiled[1]}.ts`, `${compiled[1]}.tsx`] : copies;
}

export async function build(): Promise<void> {
  // The bundles are written into src/ (git-ignored): build them first, then take the sources' time
  // before tsc reads them, so a source saved during the compilation leaves dist/ stale.
  await buildAssets();
  const sources = newestSourceTime(ROOT);
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error(`tsc failed (exit ${tsc.status ?? tsc.signal}): dist/ not updated`);
  let copied = 0;
  for (const file of filesUnder(SRC)) {
    if (TS.test(file)) continue;
    mkdirSync(path.dirname(path.join(DIST, file)), { recursive: true });
    copyFileSync(path.join(SRC, file), path.join(DIST, file));
    copied += 1;
  }
  let removed = 0;
  for (const file of filesUnder(DIST)) {
    const from = sourcesOf(file);
    if (from && !from.some((candidate) => existsSync(path.join(SRC, candidate)))) {
      rmSync(path.join(DIST, file));
      removed += 1;
    }
  }
  writeFileSync(path.join(DIST, STAMP), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
  console.log(`built dist/ (${copied} data files copied, ${removed} orphan files removed)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.argv.includes('--if-stale') && distState(ROOT) === 'fresh') {
    console.log('dist/ is up to date');
  } else {
    await build();
  }
}
