#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader: one code path in dev, CI and the image.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  // Run by an older system `node`: hand over to the Node 24 the project brings (devDependency).
  const local = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(local)) {
    process.stderr.write(`passerelle needs Node.js 24 or later (this is ${process.version}); run it through npm (npm run passerelle -- …) or install Node 24.\n`);
    process.exit(1);
  }
  const result = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}

const { register } = await import('tsx/esm/api');
register();
await import('../src/cli/main.ts');
