import { z } from 'zod';
import type { OutboxMessage } from '../model/index.ts';
import { ConflictError, NotFoundError } from '../shared/errors.ts';
import type { CoordinatorActor, RegistryDeps } from './deps.ts';
import { iso } from '../shared/time.ts';
import { readQuery } from './query.ts';
import type { OutboxRow } from '../model/registry.ts';

/** A queued mail as the cell sees it: never its payload, which may hold a code or a password. */
export interface OutboxMessageView {
  id: string;
  recipient: string;
  template: string;
  lang: 'fr' | 'en';
  status: OutboxMessage['status'];
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
}

export const outboxQuerySchema = z.object({ status: z.enum(['pending', 'sending', 'failed']).optional() });

export function parseOutboxQuery(query: unknown, strict: boolean): z.infer<typeof outboxQuerySchema> {
  return readQuery(outboxQuerySchema, query, { strict });
}

const SHOWN = 200;

function view(m: OutboxRow): OutboxMessageView {
  return {
    id: m.id,
    recipient: m.recipient,
    template: m.template,
    lang: m.lang,
    status: m.status,
    attempts: m.attempts,
    nextAttemptAt: iso(m.nextAttemptAt)!,
    lastError: m.lastError,
    createdAt: iso(m.createdAt)!,
  };
}

/** Messages not yet delivered (pending, being sent, failed), newest first, with counts per state. */
export async function listOutbox(
  deps: RegistryDeps,
  input: z.infer<typeof outboxQuerySchema>,
): Promise<{ messages: OutboxMessageView[]; counts: Record<OutboxMessage['status'], number> }> {
  const repo = deps.storage.registry;
  const statuses: OutboxMessage['status'][] = input.status ? [input.status] : ['failed', 'pending', 'sending'];
  return { messages: (await repo.listOutbox(statuses, SHOWN)).map(view), counts: await repo.outboxCounts() };
}

/** A failed message goes back to the queue with a fresh attempt count; the worker sends it on its next round. */
export async function retryMessage(deps: RegistryDeps, id: string, actor: CoordinatorActor): Promise<OutboxMessageView> {
  const refused = async (reason: string, error: Error) => {
    await deps.auditor.record({ action: 'outbox.retry', outcome: 'failure', reason, actor: actor.name, ip: actor.ip ?? null, certificateSerial: actor.certificateSerial ?? null, details: { messageId: id } });
    return error;
  };
  const message = await deps.storage.outbox.findById(id);
  if (!message) throw await refused('not_found', new NotFoundError('not_found', `no message ${id} in the outbox`));
  return deps.storage.transaction(async (repos) => {
    if (!(await repos.outbox.retry(id, deps.clock.now().getTime()))) throw await refused('not_failed', new ConflictError('not_failed', `message ${id} is ${message.status}: only a failed message is retried`));
    await deps.auditor.with(repos.audit).record({
      action: 'outbox.retry',
      outcome: 'success',
      actor: actor.name,
      ip: actor.ip ?? null,
      certificateSerial: actor.certificateSerial ?? null,
      details: { messageId: id, template: message.template, recipient: message.recipient, attempts: message.attempts, lastError: message.lastError },
    });
    const retried = (await repos.outbox.findById(id))!;
    return view({ ...retried, attempts: Number(retried.attempts), nextAttemptAt: Number(retried.nextAttemptAt), createdAt: Number(retried.createdAt) });
  });
}
