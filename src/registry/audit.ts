import { z } from 'zod';
import type { AuditEvent } from '../model/index.ts';
import { BadRequestError } from '../shared/errors.ts';
import { csvLine } from './csv.ts';
import type { CoordinatorActor, RegistryDeps } from './deps.ts';
import { iso } from '../shared/time.ts';
import { limitParam, readQuery, text } from './query.ts';
import type { AuditQuery } from '../model/registry.ts';
import { parseBound } from './time.ts';

export const auditFilterSchema = z.object({
  person: text(200).optional(),
  action: z
    .string()
    .trim()
    .max(100)
    .regex(/^[a-z0-9._-]+\*?$/i, 'letters, digits, . _ - and an optional trailing *')
    .optional(),
  application: text(100).optional(),
  ip: text(64).optional(),
  outcome: z.enum(['success', 'failure', 'info']).optional(),
  from: text(40).optional(),
  to: text(40).optional(),
});
export const auditPageSchema = auditFilterSchema.extend({ before: z.coerce.number().int().min(1).optional(), limit: limitParam });

export type AuditFilterInput = z.infer<typeof auditFilterSchema>;
export type AuditPageInput = z.infer<typeof auditPageSchema>;

export function parseAuditFilter(query: unknown, strict: boolean): AuditFilterInput {
  return readQuery(auditFilterSchema, query, { strict });
}

export function parseAuditPage(query: unknown, strict: boolean): AuditPageInput {
  return readQuery(auditPageSchema, query, { strict });
}

/** `from` is inclusive, `to` too when it is a day (the whole day, Paris time). */
function toQuery(input: AuditFilterInput): AuditQuery {
  const since = input.from ? parseBound(input.from, 'from', false) : undefined;
  const until = input.to ? parseBound(input.to, 'to', true) : undefined;
  if (since !== undefined && until !== undefined && until <= since) throw new BadRequestError('invalid_query', 'to: must come after from', { fields: ['to'] });
  return {
    person: input.person?.toLowerCase(),
    action: input.action,
    applicationId: input.application,
    ip: input.ip,
    outcome: input.outcome,
    since,
    until,
  };
}

export interface AuditEventView {
  id: number;
  at: string;
  action: string;
  outcome: AuditEvent['outcome'];
  reason: string | null;
  actor: string | null;
  ip: string | null;
  certificateSerial: string | null;
  applicationId: string | null;
  subject: string | null;
  details: Record<string, unknown> | null;
}

function view(e: AuditEvent): AuditEventView {
  return { ...e, at: iso(e.at)! };
}

/** Newest first; `next` is the `before` of the following (older) page. */
export async function listAudit(deps: RegistryDeps, input: AuditPageInput): Promise<{ items: AuditEventView[]; next: number | null }> {
  const rows = await deps.storage.registry.listAudit(toQuery(input), input.before ?? null, input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items: items.map(view), next: rows.length > input.limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** `at` in Paris time, as the console shows it; `at_utc` keeps the instant unambiguous (ISO 8601). */
export const CSV_COLUMNS = ['id', 'at', 'at_utc', 'action', 'outcome', 'reason', 'actor', 'ip', 'certificate_serial', 'application_id', 'subject', 'details'] as const;
const BATCH = 500;

/**
 * The export is itself audited (who exported what), then streamed batch by batch in id
 * order, newest first, so memory stays flat whatever the size. Filters are checked before
 * anything is written: a bad one is a clean 400, not a truncated file.
 */
export async function exportAuditCsv(deps: RegistryDeps, input: AuditFilterInput, actor: CoordinatorActor): Promise<AsyncGenerator<string>> {
  const query = toQuery(input);
  await deps.auditor.record({
    action: 'audit.export',
    outcome: 'success',
    actor: actor.name,
    ip: actor.ip ?? null,
    certificateSerial: actor.certificateSerial ?? null,
    details: { filter: Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) },
  });
  const repo = deps.storage.registry;
  return (async function* rows() {
    yield csvLine([...CSV_COLUMNS]);
    let before: number | null = null;
    for (;;) {
      const batch = await repo.listAudit(query, before, BATCH);
      if (batch.length) {
        yield batch.map((e) => csvLine([e.id, parisTime(e.at), iso(e.at), e.action, e.outcome, e.reason, e.actor, e.ip, e.certificateSerial, e.applicationId, e.subject, e.details ? JSON.stringify(e.details) : null])).join('');
      }
      if (batch.length < BATCH) return;
      before = batch[batch.length - 1]!.id;
    }
  })();
}

/** `journal-2026-03-01.csv`, named after the export day in Paris. */
export function exportFileName(now: Date): string {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  return `journal-${day}.csv`;
}

const PARIS = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** "2026-03-01 14:05:09": Paris wall-clock time, a format spreadsheets read as a date. */
export function parisTime(ms: number): string {
  return PARIS.format(new Date(ms));
}
