/**
 * Vitest global setup: chooses the browser tests' Chromium once, before the test files start
 * in parallel (decompressing the npm package's copy from several processes at once would race),
 * and prints the choice once. The test files find it in the environment they inherit.
 */
import { chromiumExecutable } from './browser.ts';

export async function setup(): Promise<void> {
  await chromiumExecutable();
}
