import { Router } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import { getCertificate, listCertificates, parseCertificateQuery, revokeCertificate, type CertificateQueryInput } from '../../../../registry/index.ts';
import { iso } from '../../../../shared/time.ts';
import { CertificatePage, CertificatesPage, RevokeCertificatePage } from '../../../pages/console/registry/index.ts';
import { actorOf, fields, pageBase, param, problemsOf, render } from './context.ts';

/** `/certificats`: filtered, keyset-paginated list; a page each; revocation with a confirmation step. */
export function certificateRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/certificats', async (req, res) => {
    const establishments = (await runtime.storage.establishments.list()).map((e) => ({ id: e.id, name: e.name }));
    const common = { ...pageBase(deps, req, res), establishments, noticeDays: runtime.config.renewal.noticeDays };
    let filters: CertificateQueryInput;
    try {
      filters = parseCertificateQuery(req.query, false);
      const page = await listCertificates(runtime, filters);
      render(res, 200, CertificatesPage({ ...common, filters, items: page.items, next: page.next, problems: [] }));
    } catch (error) {
      const problems = problemsOf(error, 'q');
      if (!problems) throw error;
      const raw = req.query as Record<string, unknown>;
      const echo = (k: string) => (typeof raw[k] === 'string' ? raw[k].slice(0, 100) : undefined);
      render(res, 400, CertificatesPage({ ...common, filters: { q: echo('q'), establishment: echo('establishment') }, items: [], next: null, problems }));
    }
  });

  router.get('/certificats/:serial', async (req, res) => {
    const certificate = await getCertificate(runtime, param(req, 'serial'));
    const latest = await runtime.storage.crls.latest();
    render(res, 200, CertificatePage({ ...pageBase(deps, req, res), certificate, crl: latest ? { number: latest.number, thisUpdate: iso(latest.thisUpdate)! } : null }));
  });

  router.get('/certificats/:serial/revoquer', async (req, res) => {
    const certificate = await getCertificate(runtime, param(req, 'serial'));
    if (certificate.state === 'revoked') {
      res.redirect(303, `/certificats/${certificate.serial}`);
      return;
    }
    render(res, 200, RevokeCertificatePage({ ...pageBase(deps, req, res), certificate, problems: [], reason: null }));
  });

  router.post('/certificats/:serial/revoquer', async (req, res) => {
    const serial = param(req, 'serial');
    const reason = fields(req).reason ?? '';
    try {
      const { certificate } = await revokeCertificate(runtime, serial, reason, actorOf(req, res));
      res.redirect(303, `/certificats/${certificate.serial}?ok=certificate_revoked`);
    } catch (error) {
      const problems = problemsOf(error, 'reason');
      if (!problems) throw error;
      render(res, 400, RevokeCertificatePage({ ...pageBase(deps, req, res), certificate: await getCertificate(runtime, serial), problems, reason: null }));
    }
  });

  return router;
}
