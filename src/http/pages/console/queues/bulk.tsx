import { t } from '../../../i18n/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ActionError, Csrf, ReasonField } from './parts.tsx';

export const BULK_MAX = 100;

export interface BulkItem {
  id: string;
  /** What the item is, as the list shows it. */
  label: string;
  /** Warnings worth a second look (possible duplicates…). */
  notes: string[];
  /** Already decided: it will be skipped. */
  skipped: boolean;
}

export interface BulkPageProps extends Omit<ConsolePageProps, 'title' | 'page' | 'children'> {
  /** The queue's path, e.g. /inscriptions. */
  base: string;
  decision: 'approve' | 'reject';
  items: BulkItem[];
  fourEyes: boolean;
  error?: string | null;
  reason?: string | null;
  /** Nothing (or too much) was selected. */
  problem?: 'none_selected' | 'too_many' | null;
}

/** What a decision on several requests will do, before it is done. */
export function BulkPage(props: BulkPageProps) {
  const { lang } = props;
  const approve = props.decision === 'approve';
  const actionable = props.items.filter((i) => !i.skipped);
  return (
    <ConsoleLayout {...props} title={t(lang, approve ? 'console.bulk.approveTitle' : 'console.bulk.rejectTitle')} page="console-bulk">
      <ActionError lang={lang} code={props.error} />
      {props.problem ? (
        <div class="alert alert-error" role="alert">
          <p>{props.problem === 'none_selected' ? t(lang, 'console.bulk.noneSelected') : t(lang, 'console.bulk.tooMany', { max: BULK_MAX })}</p>
        </div>
      ) : (
        <>
          <p>{t(lang, approve ? 'console.bulk.approveLead' : 'console.bulk.rejectLead')}</p>
          <ul data-testid="bulk-items">
            {props.items.map((item) => (
              <li key={item.id} data-id={item.id} data-skipped={item.skipped ? 'true' : undefined}>
                {item.label}
                {item.skipped ? ` — ${t(lang, 'console.bulk.skipped')}` : ''}
                {item.notes.length > 0 && (
                  <ul>
                    {item.notes.map((note) => (
                      <li key={note}>{note}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ul>
          <p>{t(lang, 'console.bulk.count', { count: actionable.length })}</p>
          {props.fourEyes && <p class="muted">{t(lang, 'console.fourEyes.willNeedSecond')}</p>}
          {actionable.length > 0 && (
            <form method="post" action={`${props.base}/lot`} class="form">
              <Csrf token={props.csrfToken} />
              <input type="hidden" name="decision" value={props.decision} />
              {actionable.map((item) => (
                <input key={item.id} type="hidden" name="id" value={item.id} />
              ))}
              {!approve && <ReasonField lang={lang} id="bulk-reason" value={props.reason} invalid={props.error === 'reason_required'} />}
              <button class={approve ? 'button' : 'button button-danger'} type="submit">
                {t(lang, 'console.bulk.confirm')}
              </button>
            </form>
          )}
        </>
      )}
      <p>
        <a href={props.base}>{t(lang, 'console.queue.back')}</a>
      </p>
    </ConsoleLayout>
  );
}
