import { Router, type Request, type Response } from 'express';
import type { VNode } from 'preact';
import type { HttpDeps } from '../../deps.ts';
import {
  getAccessRequest,
  getCertificateRequest,
  getRegistration,
  listAccessRequests,
  listCertificateRequests,
  listRegistrations,
  type AccessRequestView,
  type CertificateRequestView,
  type RegistrationView,
} from '../../../approval/index.ts';
import { needsSecondApproval, openApprovals, performAction, type ActionOutcome, type ApprovalView, type ConsoleAction, type TargetKind } from '../../../console/index.ts';
import { PasserelleError } from '../../../shared/errors.ts';
import { t, type Lang } from '../../i18n/index.ts';
import { sendPage } from '../../respond.ts';
import { REGISTRATION_STATUSES, RegistrationPage, RegistrationsPage } from '../../pages/console/queues/registrations.tsx';
import { CERTIFICATE_REQUEST_STATUSES, CertificateRequestPage, CertificateRequestsPage, NewCodePage, canReissue, holderName } from '../../pages/console/queues/certificate-requests.tsx';
import { ACCESS_REQUEST_STATUSES, AccessRequestPage, AccessRequestsPage, applicationLabel, personName } from '../../pages/console/queues/access-requests.tsx';
import { BULK_MAX, BulkPage, type BulkItem } from '../../pages/console/queues/bulk.tsx';
import { actorOf, idParam, posted, shellOf, text } from './shell.ts';

/** The queues list at most this many rows (the repositories' own limit). */
const LIST_LIMIT = 200;

type Shell = ReturnType<typeof shellOf>;

interface ListView<V> {
  status: string;
  rows: V[];
  approvals: Map<string, ApprovalView>;
  error: string | null;
}

interface DetailView<V> {
  row: V;
  approval: ApprovalView | null;
  error: string | null;
  reason: string | null;
}

/** One queue: where it lives, how its items are read and shown, which actions decide them. */
interface Queue<V extends { id: string; status: string }> {
  kind: TargetKind;
  base: string;
  statuses: readonly string[];
  approve: ConsoleAction;
  reject: ConsoleAction;
  list(status: string | undefined): Promise<V[]>;
  get(id: string): Promise<V>;
  /** The item as the bulk confirmation lists it, with what deserves a second look. */
  describe(lang: Lang, row: V): { label: string; notes: string[] };
  listPage(shell: Shell, view: ListView<V>): VNode;
  detailPage(shell: Shell, view: DetailView<V>): VNode;
}

function ids(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return [...new Set(list.filter((v): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100))];
}

function noticeFor(outcome: ActionOutcome, done: string): string {
  return outcome.status === 'pending_approval' ? 'pending_approval' : done;
}

/** GET list, bulk confirmation and POST, detail, approve and reject: the same for the three queues. */
function queueRoutes<V extends { id: string; status: string }>(deps: HttpDeps, queue: Queue<V>, router: Router): void {
  const { runtime } = deps;
  const fourEyes = (action: ConsoleAction) => needsSecondApproval(runtime.config, action);

  async function renderList(req: Request, res: Response, status: number, error: string | null = null): Promise<void> {
    const requested = typeof req.query.status === 'string' ? req.query.status : 'pending';
    const filter = requested === 'all' || queue.statuses.includes(requested) ? requested : 'pending';
    const rows = await queue.list(filter === 'all' ? undefined : filter);
    const approvals = await openApprovals(runtime, queue.kind, rows.map((r) => r.id));
    sendPage(res, status, queue.listPage(shellOf(req, res, runtime), { status: filter, rows, approvals, error }));
  }

  async function renderDetail(req: Request, res: Response, status: number, error: string | null = null, reason: string | null = null): Promise<void> {
    const row = await queue.get(idParam(req));
    const approval = (await openApprovals(runtime, queue.kind, [row.id])).get(row.id) ?? null;
    sendPage(res, status, queue.detailPage(shellOf(req, res, runtime), { row, approval, error, reason }));
  }

  router.get(queue.base, (req, res) => renderList(req, res, 200));

  /** Describes the selection; nothing is decided until the POST. */
  async function bulkItems(lang: Lang, selected: string[]): Promise<BulkItem[]> {
    const approvals = await openApprovals(runtime, queue.kind, selected);
    const items: BulkItem[] = [];
    for (const id of selected) {
      const row = await queue.get(id).catch(() => null);
      if (!row) continue;
      const { label, notes } = queue.describe(lang, row);
      items.push({ id, label, notes, skipped: row.status !== 'pending' || approvals.has(id) });
    }
    return items;
  }

  async function renderBulk(req: Request, res: Response, status: number, input: { ids: string[]; decision: 'approve' | 'reject'; error?: string | null; reason?: string | null }): Promise<void> {
    const shell = shellOf(req, res, runtime);
    const problem = input.ids.length === 0 ? 'none_selected' : input.ids.length > BULK_MAX ? 'too_many' : null;
    const items = problem ? [] : await bulkItems(shell.lang, input.ids);
    const action = input.decision === 'approve' ? queue.approve : queue.reject;
    const section = queue.base === '/inscriptions' ? 'registrations' : queue.base === '/demandes-certificats' ? 'certificate-requests' : 'access-requests';
    sendPage(res, problem ? 400 : status, BulkPage({ ...shell, section, base: queue.base, decision: input.decision, items, fourEyes: fourEyes(action), problem, error: input.error ?? null, reason: input.reason ?? null }));
  }

  router.get(`${queue.base}/lot`, async (req, res) => {
    await renderBulk(req, res, 200, { ids: ids(req.query.id), decision: req.query.decision === 'reject' ? 'reject' : 'approve' });
  });

  router.post(`${queue.base}/lot`, async (req, res) => {
    const body = posted(req);
    const selected = ids(body.id);
    const decision = body.decision === 'reject' ? 'reject' : 'approve';
    const reason = decision === 'reject' ? text(body.reason).trim() : '';
    if (selected.length === 0 || selected.length > BULK_MAX || (decision === 'reject' && !reason)) {
      await renderBulk(req, res, 400, { ids: selected, decision, error: decision === 'reject' && !reason && selected.length > 0 ? 'reason_required' : null });
      return;
    }
    const actor = actorOf(req, res);
    const counts = { done: 0, pending: 0, failed: 0 };
    // One by one: each decision is its own transaction with its own mails and audit row.
    for (const id of selected) {
      try {
        const outcome = await performAction(runtime, { action: decision === 'approve' ? queue.approve : queue.reject, targetId: id, params: { reason } }, actor);
        counts[outcome.status === 'done' ? 'done' : 'pending'] += 1;
      } catch (error) {
        if (!(error instanceof PasserelleError && error.expose)) throw error;
        counts.failed += 1;
      }
    }
    res.redirect(303, `${queue.base}?${new URLSearchParams({ ok: 'bulk', done: String(counts.done), pending: String(counts.pending), failed: String(counts.failed) })}`);
  });

  router.get(`${queue.base}/:id`, (req, res) => renderDetail(req, res, 200));

  /** One decision; a refusal (already decided, no reason…) shows on the item's page, nothing changed. */
  async function decide(req: Request, res: Response, action: ConsoleAction, done: string): Promise<void> {
    const body = posted(req);
    const reason = text(body.reason);
    try {
      const outcome = await performAction(runtime, { action, targetId: idParam(req), params: { reason } }, actorOf(req, res));
      // An approved registration: the confirmation names the identifier just created.
      const created = outcome.status === 'done' ? (outcome.result as { identifier?: unknown } | null)?.identifier : undefined;
      const extra = typeof created === 'string' ? `&identifier=${encodeURIComponent(created)}` : '';
      res.redirect(303, `${queue.base}?ok=${noticeFor(outcome, done)}${extra}`);
    } catch (error) {
      if (!(error instanceof PasserelleError && error.expose) || error.code === 'not_found') throw error;
      await renderDetail(req, res, error.status, error.code, reason);
    }
  }

  router.post(`${queue.base}/:id/approuver`, (req, res) => decide(req, res, queue.approve, 'approved'));
  router.post(`${queue.base}/:id/refuser`, (req, res) => decide(req, res, queue.reject, 'rejected'));
}

/** Console pages: the three queues (registrations, certificate requests, access requests). */
export function queuesRoutes(deps: HttpDeps): Router {
  const { runtime } = deps;
  const { config } = runtime;
  const router = Router();
  const fourEyes = (action: ConsoleAction) => needsSecondApproval(config, action);

  const registrations: Queue<RegistrationView> = {
    kind: 'registration',
    base: '/inscriptions',
    statuses: REGISTRATION_STATUSES,
    approve: 'registration.approve',
    reject: 'registration.reject',
    list: (status) => listRegistrations(runtime, status as RegistrationView['status'] | undefined),
    get: (id) => getRegistration(runtime, id),
    describe: (lang, r) => ({
      label: `${r.givenName} ${r.familyName} <${r.email}>`,
      notes: r.duplicates.map((d) => {
        const who = d.kind === 'user' ? t(lang, 'console.registrations.duplicateAccount', { identifier: d.identifier ?? d.id }) : `${d.givenName} ${d.familyName}`;
        return t(lang, 'console.bulk.duplicate', { what: `${who} (${d.matches.map((m) => t(lang, `console.duplicate.${m}`)).join(', ')})` });
      }),
    }),
    listPage: (shell, v) => RegistrationsPage({ ...shell, status: v.status as never, registrations: v.rows, approvals: v.approvals, limit: LIST_LIMIT, error: v.error }),
    detailPage: (shell, v) =>
      RegistrationPage({
        ...shell,
        registration: v.row,
        applicationName: config.applications.find((a) => a.id === v.row.requestedApplication)?.name ?? null,
        approval: v.approval,
        fourEyes: { approve: fourEyes('registration.approve'), reject: fourEyes('registration.reject') },
        error: v.error,
        reason: v.reason,
      }),
  };

  const certificateRequests: Queue<CertificateRequestView> = {
    kind: 'certificate-request',
    base: '/demandes-certificats',
    statuses: CERTIFICATE_REQUEST_STATUSES,
    approve: 'certificate-request.approve',
    reject: 'certificate-request.reject',
    list: (status) => listCertificateRequests(runtime, status as CertificateRequestView['status'] | undefined),
    get: (id) => getCertificateRequest(runtime, id),
    describe: (_lang, r) => ({ label: `${holderName(r)} — ${r.label}`, notes: [] }),
    listPage: (shell, v) => CertificateRequestsPage({ ...shell, status: v.status as never, requests: v.rows, approvals: v.approvals, limit: LIST_LIMIT, error: v.error }),
    detailPage: (shell, v) =>
      CertificateRequestPage({
        ...shell,
        request: v.row,
        approval: v.approval,
        fourEyes: { approve: fourEyes('certificate-request.approve'), reject: fourEyes('certificate-request.reject'), newCode: fourEyes('certificate-request.new-code') },
        error: v.error,
        reason: v.reason,
      }),
  };

  const accessRequests: Queue<AccessRequestView> = {
    kind: 'access-request',
    base: '/demandes-acces',
    statuses: ACCESS_REQUEST_STATUSES,
    approve: 'access-request.approve',
    reject: 'access-request.reject',
    list: (status) => listAccessRequests(runtime, status as AccessRequestView['status'] | undefined),
    get: (id) => getAccessRequest(runtime, id),
    describe: (lang, r) => ({ label: `${personName(r)} → ${applicationLabel(lang, r)}`, notes: r.user && r.user.status !== 'active' ? [t(lang, `console.accountStatus.${r.user.status}`)] : [] }),
    listPage: (shell, v) => AccessRequestsPage({ ...shell, status: v.status as never, requests: v.rows, approvals: v.approvals, limit: LIST_LIMIT, error: v.error }),
    detailPage: (shell, v) =>
      AccessRequestPage({ ...shell, request: v.row, approval: v.approval, fourEyes: { approve: fourEyes('access-request.approve'), reject: fourEyes('access-request.reject') }, error: v.error, reason: v.reason }),
  };

  // The new-code confirmation sits before `/:id` so it is not taken for an id.
  const newCodePage = async (req: Request, res: Response, status: number, error: string | null = null) => {
    const request = await getCertificateRequest(runtime, idParam(req));
    sendPage(res, status, NewCodePage({ ...shellOf(req, res, runtime), request, fourEyes: fourEyes('certificate-request.new-code'), error: error ?? (canReissue(request) ? null : request.status === 'withdrawn' ? 'already_withdrawn' : 'not_approved') }));
  };
  router.get('/demandes-certificats/:id/nouveau-code', (req, res) => newCodePage(req, res, 200));
  router.post('/demandes-certificats/:id/nouveau-code', async (req, res) => {
    try {
      const outcome = await performAction(runtime, { action: 'certificate-request.new-code', targetId: idParam(req) }, actorOf(req, res));
      res.redirect(303, `/demandes-certificats?status=approved&ok=${noticeFor(outcome, 'code_reissued')}`);
    } catch (error) {
      if (!(error instanceof PasserelleError && error.expose) || error.code === 'not_found') throw error;
      await newCodePage(req, res, error.status, error.code);
    }
  });

  queueRoutes(deps, registrations, router);
  queueRoutes(deps, certificateRequests, router);
  queueRoutes(deps, accessRequests, router);
  return router;
}
