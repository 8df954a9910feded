import express, { type ErrorRequestHandler, type Express } from 'express';
import { fileURLToPath } from 'node:url';
import { jwks } from '../../identity/index.ts';
import type { HttpDeps } from '../deps.ts';
import { portalRoutes } from '../portal/routes.ts';
import { withdrawalRoutes } from './withdrawal.ts';
import { HelpPage } from '../pages/index.ts';
import { language } from '../language.ts';
import { sendJson, sendPage } from '../respond.ts';
import { errorHandler } from '../errors.ts';
import { ErrorPage } from '../pages/index.ts';
import { SITE_SETTING, siteOf } from '../site.ts';
import { brandingAssets } from '../branding-assets.ts';
import { sitePageRoutes } from './site-pages.ts';
import { ocspRoutes } from './ocsp.ts';

const ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));

/** The public listener: server TLS only. The portal, help, JWKS, CRL, OCSP, CA chain, health. */
export function createPublicApp(deps: HttpDeps): Express {
  const { runtime, signingKey } = deps;
  const { config } = runtime;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set(SITE_SETTING, siteOf(config));
  app.use(language);
  app.use('/assets', brandingAssets(config), express.static(ASSETS, { index: false, maxAge: '1h' }));

  // Kept for existing probes; /readyz on the admin listener says more. Both stores must answer.
  app.get('/healthz', async (_req, res) => {
    const [database, sessionStore] = await Promise.allSettled([runtime.storage.ping(), deps.sessions.ping()]);
    if (database.status === 'rejected') sendJson(res, 503, { status: 'unavailable', error: 'database_unavailable' });
    else if (sessionStore.status === 'rejected') sendJson(res, 503, { status: 'unavailable', error: 'session_store_unavailable' });
    else sendJson(res, 200, { status: 'ok' });
  });

  app.get('/.well-known/jwks.json', (_req, res) => sendJson(res, 200, jwks([signingKey])));

  app.get('/crl/passerelle.crl', async (_req, res) => {
    const der = await runtime.authority.currentCrl();
    res.status(200).type('application/pkix-crl').setHeader('Cache-Control', 'no-cache').send(Buffer.from(der));
  });

  app.use(ocspRoutes(deps));

  app.get('/pki/ca.pem', (_req, res) => {
    res.status(200).type('application/x-pem-file').send(runtime.pki.chainPem);
  });

  app.use(sitePageRoutes(deps));
  app.use(withdrawalRoutes(deps));
  app.use(portalRoutes(deps));

  app.get(['/', '/aide'], (_req, res) => {
    sendPage(
      res,
      200,
      HelpPage({
        lang: res.locals.lang,
        publicUrl: config.publicUrl,
        applications: config.applications.map((a) => ({ name: a.name, host: a.host })),
        gatewayPort: config.listeners.gateway.port,
        assetBase: '/assets',
      }),
    );
  });

  app.use((_req, res) => sendPage(res, 404, ErrorPage({ lang: res.locals.lang, status: 404, code: 'not_found', assetBase: '/assets' })));
  app.use(errorHandler as ErrorRequestHandler);
  return app;
}
