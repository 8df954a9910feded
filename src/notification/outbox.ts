/**
 * The transactional outbox: call `enqueueMail` with the repositories of the transaction that
 * makes the change the mail tells about. If that transaction rolls back, no mail exists; if it
 * commits, the worker will send the mail, however long SMTP is down.
 */
import type { Clock } from '../shared/clock.ts';
import type { Random } from '../shared/random.ts';
import { BadRequestError } from '../shared/errors.ts';
import type { OutboxRepository } from '../storage/index.ts';
import { renderMail } from './templates.ts';
import type { MailLang, MailTemplateName, MailTemplates } from './types.ts';

export interface MailToQueue<T extends MailTemplateName> {
  to: string;
  template: T;
  lang: MailLang;
  data: MailTemplates[T];
  /** Hold the mail back this long (e.g. a PDF's password goes out after the PDF). */
  delayMs?: number;
}

// One plain address: no display name, no list, nothing that could smuggle a header.
const ADDRESS = /^[^\s@<>,;:"()[\]\\]+@[^\s@<>,;:"()[\]\\]+\.[^\s@<>,;:"()[\]\\]+$/;

export function isMailAddress(value: string): boolean {
  return value.length <= 254 && ADDRESS.test(value);
}

/** Queues one mail; returns the outbox id. The mail is rendered once here so bad data fails the transaction, not the worker. */
export async function enqueueMail<T extends MailTemplateName>(
  repos: { outbox: OutboxRepository },
  deps: { clock: Clock; random: Random },
  mail: MailToQueue<T>,
): Promise<string> {
  if (!isMailAddress(mail.to)) throw new BadRequestError('invalid_email', 'not a valid email address');
  renderMail(mail.template, mail.lang, mail.data);
  const id = deps.random.uuid();
  const now = deps.clock.now().getTime();
  await repos.outbox.enqueue({
    id,
    recipient: mail.to,
    template: mail.template,
    lang: mail.lang,
    payload: JSON.stringify(mail.data),
    createdAt: now,
    nextAttemptAt: now + (mail.delayMs ?? 0),
  });
  return id;
}
