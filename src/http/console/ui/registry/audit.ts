import { Router } from 'express';
import type { HttpDeps } from '../../../deps.ts';
import { exportAuditCsv, exportFileName, listAudit, parseAuditFilter, parseAuditPage } from '../../../../registry/index.ts';
import { CONSOLE_APPLICATION_ID } from '../../application.ts';
import { AuditPage } from '../../../pages/console/registry/index.ts';
import { actorOf, pageBase, problemsOf, render } from './context.ts';
import { sendCsv } from './send-csv.ts';

/** `/journal`: the audit trail, filtered and paginated; `/journal.csv`: the same filters, exported. */
export function auditRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const router = Router();
  const applications = () => [...runtime.config.applications.map((a) => ({ id: a.id, name: a.name })), { id: CONSOLE_APPLICATION_ID, name: 'Console' }];

  router.get('/journal', async (req, res) => {
    const common = { ...pageBase(deps, req, res), applications: applications() };
    try {
      const input = parseAuditPage(req.query, false);
      const page = await listAudit(runtime, input);
      const { before, limit, ...filters } = input;
      render(res, 200, AuditPage({ ...common, filters, limit: limit === 50 ? undefined : limit, before: before ?? null, items: page.items, next: page.next, problems: [] }));
    } catch (error) {
      const problems = problemsOf(error, 'action');
      if (!problems) throw error;
      // Give back what was typed, so it can be corrected (text fields only).
      const raw = req.query as Record<string, unknown>;
      const echo = (k: string) => (typeof raw[k] === 'string' ? raw[k].slice(0, 200) : undefined);
      const filters = { person: echo('person'), action: echo('action'), ip: echo('ip'), from: echo('from'), to: echo('to') };
      render(res, 400, AuditPage({ ...common, filters, before: null, items: [], next: null, problems }));
    }
  });

  router.get('/journal.csv', async (req, res) => {
    const lines = await exportAuditCsv(runtime, parseAuditFilter(req.query, false), actorOf(req, res));
    await sendCsv(res, exportFileName(runtime.clock.now()), lines);
  });

  return router;
}
