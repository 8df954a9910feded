import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import type { AccessRequestView } from '../../../../approval/index.ts';
import type { ApprovalView } from '../../../../console/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ActionError, BulkForm, DecisionForms, DecisionLine, Item, OpenApprovalNotice, SelectBox, StatusFilter } from './parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export const ACCESS_REQUEST_STATUSES = ['pending', 'granted', 'rejected'] as const;
export type AccessRequestFilter = (typeof ACCESS_REQUEST_STATUSES)[number] | 'all';

type Shell = Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'>;

const statusLabel = (lang: Lang, s: string) => t(lang, `console.status.${s}` as MessageKey);

export function personName(r: AccessRequestView): string {
  return r.user ? `${r.user.givenName} ${r.user.familyName}` : '?';
}

export function applicationLabel(lang: Lang, r: AccessRequestView): string {
  return r.applicationName ?? t(lang, 'console.accessRequests.unknownApplication', { id: r.applicationId });
}

export interface AccessRequestsPageProps extends Shell {
  status: AccessRequestFilter;
  requests: AccessRequestView[];
  approvals: Map<string, ApprovalView>;
  limit: number;
  error?: string | null;
}

export function AccessRequestsPage(props: AccessRequestsPageProps) {
  const { lang } = props;
  const pending = props.status === 'pending';
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.accessRequests.title')} page="console-access-requests" section="access-requests">
      <p class="lead">{t(lang, 'console.accessRequests.lead')}</p>
      <ActionError lang={lang} code={props.error} />
      <StatusFilter lang={lang} action="/demandes-acces" statuses={ACCESS_REQUEST_STATUSES} current={props.status} labels={(s) => statusLabel(lang, s)} />
      {props.requests.length === 0 ? (
        <p data-testid="queue-empty">{t(lang, 'console.queue.empty')}</p>
      ) : (
        <BulkForm lang={lang} action="/demandes-acces/lot" enabled={pending}>
          <table class="table console-table" data-testid="access-requests">
            <caption class="visually-hidden">{t(lang, 'console.accessRequests.title')}</caption>
            <thead>
              <tr>
                {pending && <th scope="col">{t(lang, 'console.queue.selectColumn')}</th>}
                <th scope="col">{t(lang, 'console.accessRequests.person')}</th>
                <th scope="col">{t(lang, 'console.accessRequests.application')}</th>
                <th scope="col">{t(lang, 'console.queue.receivedOn')}</th>
                <th scope="col">{t(lang, 'console.queue.status')}</th>
                <th scope="col">{t(lang, 'console.queue.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.requests.map((r) => {
                const name = `${personName(r)} → ${applicationLabel(lang, r)}`;
                const approval = props.approvals.get(r.id);
                return (
                  <tr key={r.id} data-id={r.id} data-status={r.status}>
                    {pending && <td>{approval ? null : <SelectBox lang={lang} id={r.id} name={name} />}</td>}
                    <th scope="row">
                      {personName(r)}
                      {r.user && (
                        <>
                          <br />
                          <span class="identifier">{r.user.identifier}</span>
                        </>
                      )}
                    </th>
                    <td>{applicationLabel(lang, r)}</td>
                    <td>{r.createdAt ? formatDate(lang, Date.parse(r.createdAt)) : t(lang, 'console.none')}</td>
                    <td>
                      {approval ? t(lang, 'console.fourEyes.pendingShort') : statusLabel(lang, r.status)}
                      {r.status !== 'pending' && (
                        <>
                          <br />
                          <span class="muted">
                            <DecisionLine lang={lang} status={statusLabel(lang, r.status)} by={r.decidedBy} at={r.decidedAt} reason={r.decisionReason} />
                          </span>
                        </>
                      )}
                    </td>
                    <td>
                      <a href={`/demandes-acces/${r.id}`} aria-label={t(lang, 'console.queue.reviewNamed', { name })}>
                        {t(lang, 'console.queue.review')}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {props.requests.length >= props.limit && <p class="muted">{t(lang, 'console.queue.limit', { count: props.limit })}</p>}
        </BulkForm>
      )}
    </ConsoleLayout>
  );
}

export interface AccessRequestPageProps extends Shell {
  request: AccessRequestView;
  approval: ApprovalView | null;
  fourEyes: { approve: boolean; reject: boolean };
  error?: string | null;
  reason?: string | null;
}

export function AccessRequestPage(props: AccessRequestPageProps) {
  const { lang, request: r } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.accessRequests.detailTitle', { name: personName(r), application: applicationLabel(lang, r) })} page="console-access-request" section="access-requests">
      <p>
        <a href="/demandes-acces">{t(lang, 'console.queue.back')}</a>
      </p>
      <ActionError lang={lang} code={props.error} />
      <OpenApprovalNotice lang={lang} approval={props.approval} />
      <dl class="details">
        <Item lang={lang} label={t(lang, 'console.accessRequests.person')}>{r.user ? `${personName(r)} (${r.user.identifier}, ${r.user.email}) · ${t(lang, `console.accountStatus.${r.user.status}`)}` : null}</Item>
        <Item lang={lang} label={t(lang, 'console.accessRequests.application')}>{applicationLabel(lang, r)}</Item>
        <Item lang={lang} label={t(lang, 'console.queue.receivedOn')}>{r.createdAt ? formatDate(lang, Date.parse(r.createdAt)) : null}</Item>
        <Item lang={lang} label={t(lang, 'console.queue.status')}>
          {statusLabel(lang, r.status)}
          {r.status !== 'pending' && (
            <>
              {' — '}
              <DecisionLine lang={lang} status={statusLabel(lang, r.status)} by={r.decidedBy} at={r.decidedAt} reason={r.decisionReason} />
            </>
          )}
        </Item>
      </dl>
      {r.status === 'pending' && !props.approval && (
        <DecisionForms
          lang={lang}
          csrfToken={props.csrfToken}
          base="/demandes-acces"
          id={r.id}
          approveHint={t(lang, 'console.accessRequests.approveHint')}
          approveLabel={t(lang, 'console.accessRequests.approveButton')}
          rejectLabel={t(lang, 'console.accessRequests.rejectButton')}
          fourEyes={props.fourEyes}
          reason={props.reason}
          reasonInvalid={props.error === 'reason_required' || props.error === 'reason_too_long' || props.error === 'invalid_characters'}
        />
      )}
    </ConsoleLayout>
  );
}
