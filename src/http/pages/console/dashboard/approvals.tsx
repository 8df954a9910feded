import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import type { ApprovalStatus } from '../../../../model/console.ts';
import type { ApprovalView } from '../../../../console/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ActionError, Csrf, Item, StatusFilter } from '../queues/parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export const APPROVAL_STATUSES = ['pending', 'done', 'failed', 'cancelled'] as const satisfies readonly ApprovalStatus[];

const actionLabel = (lang: Lang, action: string) => t(lang, `console.fourEyes.action.${action}` as MessageKey);
const statusLabel = (lang: Lang, status: string) => (status === 'all' ? t(lang, 'console.status.all') : t(lang, `console.fourEyes.status.${status}` as MessageKey));

/** Where the item of an approval is reviewed. */
export function itemHref(approval: Pick<ApprovalView, 'targetKind' | 'targetId'>): string {
  const base = { registration: '/inscriptions', 'certificate-request': '/demandes-certificats', 'access-request': '/demandes-acces' }[approval.targetKind];
  return `${base}/${approval.targetId}`;
}

export function ApprovalsTable({ lang, approvals, userId, caption }: { lang: Lang; approvals: ApprovalView[]; userId: string; caption: string }) {
  return (
    <table class="table console-table" data-testid="approvals">
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(lang, 'console.fourEyes.action')}</th>
          <th scope="col">{t(lang, 'console.fourEyes.item')}</th>
          <th scope="col">{t(lang, 'console.fourEyes.requestedBy')}</th>
          <th scope="col">{t(lang, 'console.fourEyes.requestedAt')}</th>
          <th scope="col">{t(lang, 'console.fourEyes.status')}</th>
          <th scope="col">{t(lang, 'console.queue.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {approvals.map((a) => (
          <tr key={a.id} data-id={a.id} data-status={a.status}>
            <th scope="row">{actionLabel(lang, a.action)}</th>
            <td>{a.summary}</td>
            <td>
              {a.requestedBy} {a.requestedByUserId === userId ? t(lang, 'console.fourEyes.yours') : ''}
            </td>
            <td>{formatDate(lang, a.requestedAt)}</td>
            <td>{statusLabel(lang, a.status)}</td>
            <td>
              <a href={`/double-validation/${a.id}`} aria-label={t(lang, 'console.fourEyes.reviewNamed', { action: actionLabel(lang, a.action), item: a.summary })}>
                {t(lang, 'console.fourEyes.review')}
              </a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Shell = Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'>;

export interface ApprovalsPageProps extends Shell {
  status: ApprovalStatus | 'all';
  approvals: ApprovalView[];
  userId: string;
}

export function ApprovalsPage(props: ApprovalsPageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.fourEyes.listTitle')} page="console-approvals" section="dashboard">
      <StatusFilter lang={lang} action="/double-validation" statuses={APPROVAL_STATUSES} current={props.status} labels={(s) => statusLabel(lang, s)} />
      {props.approvals.length === 0 ? <p>{t(lang, 'console.fourEyes.empty')}</p> : <ApprovalsTable lang={lang} approvals={props.approvals} userId={props.userId} caption={t(lang, 'console.fourEyes.listTitle')} />}
    </ConsoleLayout>
  );
}

export interface ApprovalPageProps extends Shell {
  approval: ApprovalView;
  userId: string;
  error?: string | null;
}

/** The second coordinator's confirmation step: what was asked, by whom; confirm or cancel. */
export function ApprovalPage(props: ApprovalPageProps) {
  const { lang, approval: a } = props;
  const own = a.requestedByUserId === props.userId;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.fourEyes.title')} page="console-approval" section="dashboard">
      <p class="lead">{t(lang, 'console.fourEyes.lead')}</p>
      <ActionError lang={lang} code={props.error} />
      <dl class="details" data-status={a.status}>
        <Item lang={lang} label={t(lang, 'console.fourEyes.action')}>{actionLabel(lang, a.action)}</Item>
        <Item lang={lang} label={t(lang, 'console.fourEyes.item')}>
          {a.summary} · <a href={itemHref(a)}>{t(lang, 'console.fourEyes.openItem')}</a>
        </Item>
        {a.reason !== null && (
          <Item lang={lang} label={t(lang, 'console.fourEyes.reason')}>
            {a.reason}
          </Item>
        )}
        <Item lang={lang} label={t(lang, 'console.fourEyes.requestedBy')}>{a.requestedBy}</Item>
        <Item lang={lang} label={t(lang, 'console.fourEyes.requestedAt')}>{formatDate(lang, a.requestedAt)}</Item>
        <Item lang={lang} label={t(lang, 'console.fourEyes.status')}>{statusLabel(lang, a.status)}</Item>
        {a.decidedBy && a.decidedAt !== null && (
          <Item lang={lang} label={t(lang, 'console.fourEyes.decidedBy')}>
            {a.decidedBy}, {formatDate(lang, a.decidedAt)}
          </Item>
        )}
        {a.error && (
          <Item lang={lang} label={t(lang, 'console.fourEyes.error')}>
            {a.error}
          </Item>
        )}
      </dl>
      {a.status !== 'pending' ? (
        <p>{t(lang, 'console.fourEyes.notPending')}</p>
      ) : (
        <>
          {own ? (
            <p>{t(lang, 'console.fourEyes.ownRequest')}</p>
          ) : (
            <form method="post" action={`/double-validation/${a.id}/confirmer`} class="form">
              <Csrf token={props.csrfToken} />
              <p>{t(lang, 'console.fourEyes.confirmHint')}</p>
              <button class="button" type="submit">
                {t(lang, 'console.fourEyes.confirm')}
              </button>
            </form>
          )}
          <form method="post" action={`/double-validation/${a.id}/annuler`} class="form">
            <Csrf token={props.csrfToken} />
            <button class="button button-secondary" type="submit">
              {t(lang, 'console.fourEyes.cancel')}
            </button>
          </form>
        </>
      )}
    </ConsoleLayout>
  );
}
