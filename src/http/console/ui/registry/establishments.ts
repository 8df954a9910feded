import { Router, type Request, type Response } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import {
  createEstablishment,
  deleteEstablishment,
  getEstablishment,
  isEstablishmentInUse,
  requestCollectiveCertificate,
  requireEstablishment,
  searchEstablishments,
  updateEstablishment,
} from '../../../../registry/index.ts';
import { DeleteEstablishmentPage, EstablishmentFormPage, EstablishmentPage, EstablishmentsPage, type FieldProblem } from '../../../pages/console/registry/index.ts';
import { actorOf, fields, pageBase, param, problemsOf, render } from './context.ts';

/** `/etablissements`: list and search, create, a page each, edit, collective certificate requests. */
export function establishmentRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();

  router.get('/etablissements', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    const { items, total } = await searchEstablishments(runtime, q);
    render(res, 200, EstablishmentsPage({ ...pageBase(deps, req, res), q, items, total }));
  });

  router.get('/etablissements/nouveau', (req, res) => {
    render(res, 200, EstablishmentFormPage({ ...pageBase(deps, req, res), establishment: null, values: {}, problems: [] }));
  });

  router.post('/etablissements', async (req, res) => {
    const f = fields(req);
    const values = { name: f.name ?? '', finess: f.finess ?? '', referentEmail: f.referentEmail ?? '' };
    try {
      const created = await createEstablishment(runtime, values, actorOf(req, res));
      res.redirect(303, `/etablissements/${created.id}?ok=establishment_created`);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      render(res, 400, EstablishmentFormPage({ ...pageBase(deps, req, res), establishment: null, values, problems }));
    }
  });

  const showEstablishment = async (req: Request, res: Response, status = 200, label = '', problems: FieldProblem[] = []) => {
    const detail = await getEstablishment(runtime, param(req, 'id'));
    const deletable = !(await isEstablishmentInUse(runtime, detail.establishment.id));
    render(res, status, EstablishmentPage({ ...pageBase(deps, req, res), detail, deletable, label, problems }));
  };

  router.get('/etablissements/:id', (req, res) => showEstablishment(req, res));

  router.get('/etablissements/:id/modifier', async (req, res) => {
    const e = await requireEstablishment(runtime, param(req, 'id'));
    render(res, 200, EstablishmentFormPage({ ...pageBase(deps, req, res), establishment: { id: e.id, name: e.name }, values: { name: e.name, finess: e.finess, referentEmail: e.referentEmail }, problems: [] }));
  });

  router.post('/etablissements/:id/modifier', async (req, res) => {
    const e = await requireEstablishment(runtime, param(req, 'id'));
    const f = fields(req);
    const values = { name: f.name ?? '', finess: f.finess ?? '', referentEmail: f.referentEmail ?? '' };
    try {
      await updateEstablishment(runtime, e.id, values, actorOf(req, res));
      res.redirect(303, `/etablissements/${e.id}?ok=establishment_updated`);
    } catch (error) {
      const problems = problemsOf(error);
      if (!problems) throw error;
      render(res, 400, EstablishmentFormPage({ ...pageBase(deps, req, res), establishment: { id: e.id, name: e.name }, values, problems }));
    }
  });

  router.post('/etablissements/:id/certificats', async (req, res) => {
    const e = await requireEstablishment(runtime, param(req, 'id'));
    const f = fields(req);
    try {
      const created = await requestCollectiveCertificate(runtime, e.id, { label: f.label ?? '', approve: f.approve === 'yes' }, actorOf(req, res));
      res.redirect(303, `/etablissements/${e.id}?ok=${created.approval ? 'collective_issued' : 'collective_requested'}`);
    } catch (error) {
      const problems = problemsOf(error, 'label');
      if (!problems) throw error;
      await showEstablishment(req, res, 400, f.label ?? '', problems);
    }
  });

  router.get('/etablissements/:id/supprimer', async (req, res) => {
    const e = await requireEstablishment(runtime, param(req, 'id'));
    if (await isEstablishmentInUse(runtime, e.id)) {
      res.redirect(303, `/etablissements/${e.id}`);
      return;
    }
    render(res, 200, DeleteEstablishmentPage({ ...pageBase(deps, req, res), establishment: e }));
  });

  router.post('/etablissements/:id/supprimer', async (req, res) => {
    await deleteEstablishment(runtime, param(req, 'id'), actorOf(req, res));
    res.redirect(303, '/etablissements?ok=establishment_deleted');
  });

  return router;
}
