#!/usr/bin/env node
// The CLI entry point. Which code runs (documented in README, "Production start-up"):
//   - dist/cli/main.js (from `npm run build`) when it is fresh — not older than src/ (bin/dist-state.js);
//   - PASSERELLE_COMPILED=1 or NODE_ENV=production: dist/ or nothing — missing or stale is an error,
//     so production never runs stale code nor needs tsx;
//   - PASSERELLE_COMPILED=0: the TypeScript sources through tsx, always (the tests set this);
//   - otherwise (development) with dist/ missing or stale: the sources through tsx, with a one-line notice.
// Under a system Node older than 24 it re-launches Node 24 (node_modules/node) as a child, passes
// SIGINT/SIGTERM/SIGHUP on to it and exits with the child's code or signal.
// PASSERELLE_FORCE_RELAUNCH=1 takes that path under Node 24 too (for the tests only).
import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { distState } from './dist-state.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COMPILED = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
const SOURCE = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** @param {string} message @returns {never} */
function fail(message) {
  process.stderr.write(`passerelle: ${message}\n`);
  process.exit(1);
}

/** 'compiled' or 'sources', per the rule above. */
function chooseCode() {
  const wanted = process.env.PASSERELLE_COMPILED;
  if (wanted === '0') return 'sources';
  const state = distState(ROOT);
  if (state === 'fresh') return 'compiled';
  const why = state === 'missing' ? 'dist/ is missing' : 'dist/ is older than src/';
  if (wanted === '1' || process.env.NODE_ENV === 'production') fail(`${why}: run \`npm run build\` first (compiled code is required here).`);
  process.stderr.write(`passerelle: ${why}; running the TypeScript sources through tsx (\`npm run build\` to run compiled).\n`);
  return 'sources';
}

const code = chooseCode();
const major = Number(process.versions.node.split('.')[0]);

if (major < 24 || process.env.PASSERELLE_FORCE_RELAUNCH === '1') {
  // Run by an older system `node`: hand over to the Node 24 the project brings (devDependency).
  const node24 = major >= 24 ? process.execPath : fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node24)) fail(`needs Node.js 24 or later (this is ${process.version}); run it through npm (npm run passerelle -- …) or install Node 24.`);
  const entry = code === 'compiled' ? [COMPILED] : ['--import', import.meta.resolve('tsx'), SOURCE];
  // Node's own flags given to this process (e.g. --max-semi-space-size) go on to the real one.
  const child = spawn(node24, [...process.execArgv, ...entry, ...process.argv.slice(2)], { stdio: 'inherit' });
  // The child is the real process: signals sent to this one (kill, systemd, `npm start`'s) go on to it.
  const forward = (/** @type {NodeJS.Signals} */ signal) => child.kill(signal);
  for (const signal of FORWARDED) process.on(signal, forward);
  child.on('error', (error) => fail(`could not start ${node24}: ${error.message}`));
  child.on('exit', (exitCode, signal) => {
    for (const name of FORWARDED) process.off(name, forward);
    // Die of the same signal so our parent sees what the child saw; otherwise its exit code.
    if (!signal) process.exit(exitCode ?? 1);
    process.exitCode = 128 + (constants.signals[signal] ?? 0);
    process.kill(process.pid, signal);
  });
} else if (code === 'compiled') {
  await import(pathToFileURL(COMPILED).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(SOURCE).href);
}
