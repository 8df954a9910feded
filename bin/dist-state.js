// Is dist/ (from `npm run build`) the compiled form of the sources beside it? Shared by
// bin/passerelle.js (which code to run) and scripts/build.ts (`--if-stale`, the stamp it writes).
// Freshness is by modification time: the build records the newest time among src/ (files AND
// directories, so deleted or moved files count) and the tsconfig files; any later change makes
// dist/ stale. A checkout without src/ (an image with dist/ only) is fresh by definition.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const STAMP = '.build-stamp.json';

/**
 * The newest modification time (ms) under src/ and of the build's tsconfig files; 0 without src/.
 * @param {string} root
 * @returns {number}
 */
export function newestSourceTime(root) {
  const src = path.join(root, 'src');
  if (!existsSync(src)) return 0;
  let newest = statSync(src).mtimeMs;
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    // Gone between listing and stat (a move in progress): stale, whatever else is found.
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name), { throwIfNoEntry: false })?.mtimeMs ?? Infinity);
  }
  for (const file of ['tsconfig.json', 'tsconfig.build.json']) {
    const full = path.join(root, file);
    if (existsSync(full)) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * @param {string} file
 * @returns {unknown} null when missing or unreadable
 */
function readJson(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * @param {string} root
 * @returns {'fresh' | 'missing' | 'stale'}
 */
export function distState(root) {
  const dist = path.join(root, 'dist');
  if (!existsSync(path.join(dist, 'cli', 'main.js'))) return 'missing';
  if (!existsSync(path.join(root, 'src'))) return 'fresh';
  const stamp = readJson(path.join(dist, STAMP));
  const sources = typeof stamp === 'object' && stamp !== null && 'sources' in stamp ? stamp.sources : null;
  return typeof sources === 'number' && newestSourceTime(root) <= sources ? 'fresh' : 'stale';
}
