import { Router } from 'express';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { brandingCss } from './site.ts';

const LOGO_TYPES: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.webp': 'image/webp' };

/**
 * `branding.css` (the configured colours over passerelle.css's variables) and `logo`, mounted beside the
 * static assets on the public listener and on every gateway host. Same-origin files: the strict CSP stays.
 */
export function brandingAssets(config: Config): Router {
  const router = Router();
  const css = brandingCss(config);
  router.get('/branding.css', (_req, res) => {
    res.status(200).type('text/css').setHeader('Cache-Control', 'public, max-age=3600').send(css);
  });
  const logo = config.branding.logo ? path.resolve(config.branding.logo) : null;
  const type = logo ? LOGO_TYPES[path.extname(logo).toLowerCase()] : undefined;
  if (logo && type && existsSync(logo)) {
    router.get('/logo', (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      // An SVG is a document: no script of its own runs, whatever it holds.
      res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
      res.type(type).sendFile(logo);
    });
  }
  return router;
}
