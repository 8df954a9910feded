import { Router } from 'express';
import type { HttpDeps } from '../deps.ts';
import { sendPage } from '../respond.ts';
import { AccessibilityPage, LegalNoticePage, PersonalDataPage } from '../pages/site-info.tsx';
import { SITE_PATHS } from '../pages/site-paths.ts';

/** Accessibility statement, legal notice, personal-data notice (help stays at /aide, see app.ts). */
export function sitePageRoutes(_deps: HttpDeps): Router {
  const router = Router();
  router.get(SITE_PATHS.accessibility, (_req, res) => sendPage(res, 200, AccessibilityPage({ lang: res.locals.lang, assetBase: '/assets' })));
  router.get(SITE_PATHS.legal, (_req, res) => sendPage(res, 200, LegalNoticePage({ lang: res.locals.lang, assetBase: '/assets' })));
  router.get(SITE_PATHS.personalData, (_req, res) => sendPage(res, 200, PersonalDataPage({ lang: res.locals.lang, assetBase: '/assets' })));
  return router;
}
