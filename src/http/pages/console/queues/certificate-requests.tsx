import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import type { CertificateRequestView } from '../../../../approval/index.ts';
import type { ApprovalView } from '../../../../console/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ActionError, BulkForm, Csrf, DecisionForms, DecisionLine, Item, OpenApprovalNotice, SelectBox, StatusFilter } from './parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export const CERTIFICATE_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type CertificateRequestFilter = (typeof CERTIFICATE_REQUEST_STATUSES)[number] | 'all';

type Shell = Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'>;

const statusLabel = (lang: Lang, s: string) => t(lang, `console.status.${s}` as MessageKey);

/** The person, or the establishment of a collective certificate. */
export function holderName(r: CertificateRequestView): string {
  if (r.holder) return `${r.holder.givenName} ${r.holder.familyName}`;
  return r.establishment?.name ?? '?';
}

function Withdrawal({ lang, r }: { lang: Lang; r: CertificateRequestView }) {
  if (!r.withdrawal) return <>{t(lang, 'console.none')}</>;
  const status = t(lang, `console.certificateRequests.code.${r.withdrawal.status}` as MessageKey);
  return <>{r.withdrawal.expiresAt ? t(lang, 'console.certificateRequests.withdrawalState', { status, date: formatDate(lang, Date.parse(r.withdrawal.expiresAt), false) }) : status}</>;
}

/** Approved and not yet withdrawn: the code can be issued again. */
export function canReissue(r: CertificateRequestView): boolean {
  return r.status === 'approved';
}

export interface CertificateRequestsPageProps extends Shell {
  status: CertificateRequestFilter;
  requests: CertificateRequestView[];
  approvals: Map<string, ApprovalView>;
  limit: number;
  error?: string | null;
}

export function CertificateRequestsPage(props: CertificateRequestsPageProps) {
  const { lang } = props;
  const pending = props.status === 'pending';
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.certificateRequests.title')} page="console-certificate-requests" section="certificate-requests">
      <p class="lead">{t(lang, 'console.certificateRequests.lead')}</p>
      <ActionError lang={lang} code={props.error} />
      <StatusFilter lang={lang} action="/demandes-certificats" statuses={CERTIFICATE_REQUEST_STATUSES} current={props.status} labels={(s) => statusLabel(lang, s)} />
      {props.requests.length === 0 ? (
        <p data-testid="queue-empty">{t(lang, 'console.queue.empty')}</p>
      ) : (
        <BulkForm lang={lang} action="/demandes-certificats/lot" enabled={pending}>
          <table class="table console-table" data-testid="certificate-requests">
            <caption class="visually-hidden">{t(lang, 'console.certificateRequests.title')}</caption>
            <thead>
              <tr>
                {pending && <th scope="col">{t(lang, 'console.queue.selectColumn')}</th>}
                <th scope="col">{t(lang, 'console.certificateRequests.holder')}</th>
                <th scope="col">{t(lang, 'console.certificateRequests.label')}</th>
                <th scope="col">{t(lang, 'console.certificateRequests.kind')}</th>
                <th scope="col">{t(lang, 'console.queue.receivedOn')}</th>
                <th scope="col">{t(lang, 'console.queue.status')}</th>
                <th scope="col">{t(lang, 'console.certificateRequests.withdrawal')}</th>
                <th scope="col">{t(lang, 'console.queue.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.requests.map((r) => {
                const name = `${holderName(r)} — ${r.label}`;
                const approval = props.approvals.get(r.id);
                return (
                  <tr key={r.id} data-id={r.id} data-status={r.status}>
                    {pending && <td>{approval ? null : <SelectBox lang={lang} id={r.id} name={name} />}</td>}
                    <th scope="row">
                      {holderName(r)}
                      {r.holder && (
                        <>
                          <br />
                          <span class="identifier">{r.holder.identifier}</span>
                        </>
                      )}
                    </th>
                    <td>{r.label}</td>
                    <td>{t(lang, `console.certificateRequests.kind.${r.kind}`)}</td>
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
                      <Withdrawal lang={lang} r={r} />
                    </td>
                    <td>
                      <a href={`/demandes-certificats/${r.id}`} aria-label={t(lang, 'console.queue.reviewNamed', { name })}>
                        {t(lang, 'console.queue.review')}
                      </a>
                      {canReissue(r) && !approval && (
                        <>
                          <br />
                          <a href={`/demandes-certificats/${r.id}/nouveau-code`} aria-label={t(lang, 'console.certificateRequests.newCodeNamed', { label: name })}>
                            {t(lang, 'console.certificateRequests.newCode')}
                          </a>
                        </>
                      )}
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

export interface CertificateRequestPageProps extends Shell {
  request: CertificateRequestView;
  approval: ApprovalView | null;
  fourEyes: { approve: boolean; reject: boolean; newCode: boolean };
  error?: string | null;
  reason?: string | null;
}

function mailTo(r: CertificateRequestView): string {
  return r.holder?.email ?? r.establishment?.referentEmail ?? '?';
}

export function CertificateRequestPage(props: CertificateRequestPageProps) {
  const { lang, request: r } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.certificateRequests.detailTitle', { label: r.label })} page="console-certificate-request" section="certificate-requests">
      <p>
        <a href="/demandes-certificats">{t(lang, 'console.queue.back')}</a>
      </p>
      <ActionError lang={lang} code={props.error} />
      <OpenApprovalNotice lang={lang} approval={props.approval} />
      <dl class="details">
        <Item lang={lang} label={t(lang, 'console.certificateRequests.holder')}>
          {holderName(r)}
          {r.holder ? ` (${r.holder.identifier}, ${r.holder.email})` : ''}
        </Item>
        {r.establishment && (
          <Item lang={lang} label={t(lang, 'console.certificateRequests.referent')}>
            {r.establishment.referentEmail}
          </Item>
        )}
        <Item lang={lang} label={t(lang, 'console.certificateRequests.label')}>{r.label}</Item>
        <Item lang={lang} label={t(lang, 'console.certificateRequests.kind')}>{t(lang, `console.certificateRequests.kind.${r.kind}`)}</Item>
        <Item lang={lang} label={t(lang, 'console.certificateRequests.requestedBy')}>{r.requestedBy}</Item>
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
        <Item lang={lang} label={t(lang, 'console.certificateRequests.withdrawalIdentifier')}>{r.withdrawal?.identifier}</Item>
        <Item lang={lang} label={t(lang, 'console.certificateRequests.withdrawal')}>{r.withdrawal ? <Withdrawal lang={lang} r={r} /> : null}</Item>
        <Item lang={lang} label={t(lang, 'console.certificateRequests.serial')}>{r.certificateSerial ? <span class="identifier">{r.certificateSerial}</span> : null}</Item>
      </dl>
      {r.status === 'pending' && !props.approval && (
        <DecisionForms
          lang={lang}
          csrfToken={props.csrfToken}
          base="/demandes-certificats"
          id={r.id}
          approveHint={t(lang, 'console.certificateRequests.approveHint', { email: mailTo(r) })}
          approveLabel={t(lang, 'console.certificateRequests.approveButton')}
          rejectLabel={t(lang, 'console.certificateRequests.rejectButton')}
          fourEyes={props.fourEyes}
          reason={props.reason}
          reasonInvalid={props.error === 'reason_required' || props.error === 'reason_too_long' || props.error === 'invalid_characters'}
        />
      )}
      {canReissue(r) && !props.approval && (
        <p>
          <a class="button button-secondary" href={`/demandes-certificats/${r.id}/nouveau-code`}>
            {t(lang, 'console.certificateRequests.newCode')}
          </a>
        </p>
      )}
    </ConsoleLayout>
  );
}

export interface NewCodePageProps extends Shell {
  request: CertificateRequestView;
  fourEyes: boolean;
  error?: string | null;
}

/** Confirmation before a new withdrawal code supersedes the current one. */
export function NewCodePage(props: NewCodePageProps) {
  const { lang, request: r } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.certificateRequests.newCodeTitle', { label: r.label })} page="console-new-code" section="certificate-requests">
      <ActionError lang={lang} code={props.error} />
      <p>
        {holderName(r)} — {r.label}
      </p>
      <p>{t(lang, 'console.certificateRequests.newCodeLead', { email: mailTo(r) })}</p>
      {props.fourEyes && <p class="muted">{t(lang, 'console.fourEyes.willNeedSecond')}</p>}
      {canReissue(r) ? (
        <form method="post" action={`/demandes-certificats/${r.id}/nouveau-code`} class="form">
          <Csrf token={props.csrfToken} />
          <button class="button" type="submit">
            {t(lang, 'console.certificateRequests.newCodeButton')}
          </button>{' '}
          <a href={`/demandes-certificats/${r.id}`}>{t(lang, 'console.queue.back')}</a>
        </form>
      ) : (
        <p>
          <a href={`/demandes-certificats/${r.id}`}>{t(lang, 'console.queue.back')}</a>
        </p>
      )}
    </ConsoleLayout>
  );
}
