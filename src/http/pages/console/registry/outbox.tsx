import { t } from '../../../i18n/index.ts';
import type { OutboxMessageView } from '../../../../registry/index.ts';
import type { OutboxMessage } from '../../../../model/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { CsrfField, Table, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

export interface OutboxPageProps extends RegistryPageBase {
  status: 'pending' | 'sending' | 'failed' | null;
  messages: OutboxMessageView[];
  counts: Record<OutboxMessage['status'], number>;
}

const FILTERS = [null, 'failed', 'pending', 'sending'] as const;

/** Mails not yet delivered: recipient, template, attempts, last error — never the content. */
export function OutboxPage(props: OutboxPageProps) {
  const { lang, counts } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.outbox.title')} page="console-outbox" section="outbox">
      <p class="lead">{t(lang, 'registry.outbox.lead')}</p>
      <nav aria-label={t(lang, 'registry.outbox.filters')}>
        <ul class="registry-tabs">
          {FILTERS.map((s) => (
            <li key={s ?? 'all'}>
              <a href={s ? `/courriels?status=${s}` : '/courriels'} aria-current={props.status === s ? 'page' : undefined}>
                {s ? t(lang, `registry.outbox.status.${s}`) : t(lang, 'registry.outbox.undelivered')} ({s ? counts[s] : counts.failed + counts.pending + counts.sending})
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {props.messages.length === 0 ? (
        <p role="status">{t(lang, 'registry.outbox.none')}</p>
      ) : (
        <Table
          caption={t(lang, 'registry.outbox.title')}
          testId="outbox"
          head={[
            t(lang, 'registry.outbox.createdAt'),
            t(lang, 'registry.outbox.recipient'),
            t(lang, 'registry.outbox.template'),
            t(lang, 'registry.outbox.state'),
            t(lang, 'registry.outbox.attempts'),
            t(lang, 'registry.outbox.lastError'),
            t(lang, 'registry.outbox.actions'),
          ]}
        >
          {props.messages.map((m) => (
            <tr key={m.id} data-id={m.id} data-status={m.status}>
              <th scope="row">{formatCompactDate(lang, m.createdAt)}</th>
              <td>{m.recipient}</td>
              <td class="identifier">{m.template}</td>
              <td>
                {t(lang, `registry.outbox.status.${m.status}`)}
                {m.status === 'pending' ? <span class="muted"> ({t(lang, 'registry.outbox.nextAttempt', { date: formatCompactDate(lang, m.nextAttemptAt) })})</span> : null}
              </td>
              <td>{m.attempts}</td>
              <td>{m.lastError ?? '—'}</td>
              <td>
                {m.status === 'failed' ? (
                  <form method="post" action={`/courriels/${m.id}/relancer`}>
                    <CsrfField token={props.csrfToken} />
                    <button class="button button-secondary" type="submit" aria-label={t(lang, 'registry.outbox.retryNamed', { recipient: m.recipient, template: m.template })}>
                      {t(lang, 'registry.outbox.retry')}
                    </button>
                  </form>
                ) : null}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </ConsoleLayout>
  );
}
