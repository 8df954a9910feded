/**
 * Bundles the browser scripts into src/http/assets/ (served under /assets on the public listener and
 * /.passerelle/assets on application hosts). Run by `npm run build:assets`, by `npm install` (prepare),
 * and by the browser tests. Pages load the bundle with <script src>, never inline (strict CSP).
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const BUNDLES = [
  { entry: 'src/browser/withdrawal.ts', out: 'src/http/assets/withdrawal.bundle.js' },
  { entry: 'src/browser/idle.ts', out: 'src/http/assets/idle.bundle.js' },
] as const;

export async function buildAssets(options: { minify?: boolean } = {}): Promise<string[]> {
  const written: string[] = [];
  for (const bundle of BUNDLES) {
    await build({
      absWorkingDir: ROOT,
      entryPoints: [bundle.entry],
      outfile: bundle.out,
      bundle: true,
      format: 'iife',
      platform: 'browser',
      // Browsers of the last few years: WebCrypto, async/await, BigInt (asn1js).
      target: ['es2020', 'chrome90', 'firefox90', 'safari15', 'edge90'],
      minify: options.minify ?? true,
      sourcemap: false,
      legalComments: 'none',
      charset: 'utf8',
      logLevel: 'warning',
    });
    written.push(bundle.out);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = await buildAssets();
  console.log(`built ${files.join(', ')}`);
}
