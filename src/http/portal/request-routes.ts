import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../deps.ts';
import { sendPage } from '../respond.ts';
import { t } from '../i18n/index.ts';
import { ApplicationsPage, CertificatesPage, PortalMessagePage, RevokeCertificatePage, type AccessRequestError, type CertificateRow } from '../pages/portal/index.ts';
import { PasserelleError } from '../../shared/errors.ts';
import type { FieldError } from '../../portal/fields.ts';
import { SELF_REVOCATION_REASONS, listApplications, listCertificates, ownValidCertificate, requestAccess, requestCertificate, revokeOwnCertificate, type SelfRevocationReason } from '../../portal/requests.ts';
import { fields, pageProps, requestContext, requireCsrf } from './forms.ts';
import { requireUser } from './session.ts';
import { renewalUrl } from '../../enrollment/renewal.ts';

function row(c: { serial: string; label: string; notBefore: number; notAfter: number; revokedAt: number | null }, state: CertificateRow['state']): CertificateRow {
  return { serial: c.serial, label: c.label, notBefore: c.notBefore, notAfter: c.notAfter, revokedAt: c.revokedAt, state };
}

/** My certificates (request, list, revoke) and my applications (catalogue, access requests). */
export function requestRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();
  const csrf = requireCsrf(deps);
  const signedIn = requireUser();

  async function renderCertificates(req: Request, res: Response, status: number, values?: { label?: string }, errors: FieldError[] = []) {
    const view = await listCertificates(runtime, res.locals.portalUser!);
    sendPage(res, status, CertificatesPage({ ...pageProps(deps, req, res), requests: view.requests, certificates: view.certificates.map((c) => row(c, c.state)), values, errors, renewal: { url: renewalUrl(runtime), noticeDays: runtime.config.renewal.noticeDays, now: runtime.clock.now().getTime() } }));
  }
  function notFound(req: Request, res: Response) {
    const props = pageProps(deps, req, res);
    sendPage(res, 404, PortalMessagePage({ ...props, notice: null, title: 'portal.notFound.title', lead: t(props.lang, 'portal.notFound.certificate'), code: 'certificate_not_found', link: { href: '/certificats', label: 'portal.notFound.back' } }));
  }

  router.get('/certificats', signedIn, (req, res) => renderCertificates(req, res, 200));
  router.post('/certificats', signedIn, csrf, async (req, res) => {
    const form = fields(req);
    const outcome = await requestCertificate(runtime, res.locals.portalUser!, form.label, requestContext(req, res));
    if (!outcome.ok) return renderCertificates(req, res, 400, { label: form.label ?? '' }, outcome.errors);
    res.redirect(303, '/certificats?ok=certificate_requested');
  });

  async function renderRevoke(req: Request, res: Response, status: number, error = false) {
    let record;
    try {
      record = await ownValidCertificate(runtime, res.locals.portalUser!, String(req.params.serial));
    } catch (e) {
      if (e instanceof PasserelleError && e.status < 500) return notFound(req, res);
      throw e;
    }
    sendPage(res, status, RevokeCertificatePage({ ...pageProps(deps, req, res), certificate: row(record, 'valid'), error }));
  }
  router.get('/certificats/:serial/revoquer', signedIn, (req, res) => renderRevoke(req, res, 200));
  router.post('/certificats/:serial/revoquer', signedIn, csrf, async (req, res) => {
    const reason = fields(req).reason;
    if (!SELF_REVOCATION_REASONS.includes(reason as SelfRevocationReason)) return renderRevoke(req, res, 400, true);
    try {
      await revokeOwnCertificate(runtime, res.locals.portalUser!, String(req.params.serial), reason as SelfRevocationReason, requestContext(req, res));
    } catch (e) {
      if (e instanceof PasserelleError && e.status < 500) return notFound(req, res);
      throw e;
    }
    res.redirect(303, '/certificats?ok=certificate_revoked');
  });

  async function renderApplications(req: Request, res: Response, status: number, error: AccessRequestError | null = null) {
    const applications = await listApplications(runtime, res.locals.portalUser!);
    sendPage(res, status, ApplicationsPage({ ...pageProps(deps, req, res), applications, gatewayPort: runtime.config.listeners.gateway.port, error }));
  }
  router.get('/applications', signedIn, (req, res) => renderApplications(req, res, 200));
  router.post('/applications/:id/demander', signedIn, csrf, async (req, res) => {
    try {
      await requestAccess(runtime, res.locals.portalUser!, String(req.params.id), requestContext(req, res));
    } catch (e) {
      if (e instanceof PasserelleError && (e.code === 'already_pending' || e.code === 'already_granted')) return renderApplications(req, res, 409, e.code);
      throw e;
    }
    res.redirect(303, '/applications?ok=access_requested');
  });

  return router;
}
