#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader: one code path in dev, CI and the image.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
