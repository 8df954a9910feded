import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import type { RegistrationView } from '../../../../approval/index.ts';
import type { ApprovalView } from '../../../../console/index.ts';
import { ConsoleLayout, type ConsolePageProps } from '../layout.tsx';
import { ActionError, BulkForm, DecisionForms, DecisionLine, Item, OpenApprovalNotice, SelectBox, StatusFilter } from './parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export const REGISTRATION_STATUSES = ['pending', 'approved', 'rejected'] as const;
export type RegistrationFilter = (typeof REGISTRATION_STATUSES)[number] | 'all';

type Shell = Omit<ConsolePageProps, 'title' | 'page' | 'section' | 'children'>;

const statusLabel = (lang: Lang, s: string) => t(lang, `console.status.${s}` as MessageKey);

function Duplicates({ lang, registration }: { lang: Lang; registration: RegistrationView }) {
  if (registration.duplicates.length === 0) return <>{t(lang, 'console.none')}</>;
  return (
    <ul class="console-duplicates">
      {registration.duplicates.map((d) => (
        <li key={`${d.kind}-${d.id}`} data-duplicate={d.kind}>
          {d.kind === 'user' ? t(lang, 'console.registrations.duplicateAccount', { identifier: d.identifier ?? d.id }) : `${d.givenName} ${d.familyName}`} (
          {d.matches.map((m) => t(lang, `console.duplicate.${m}`)).join(', ')})
        </li>
      ))}
    </ul>
  );
}

export interface RegistrationsPageProps extends Shell {
  status: RegistrationFilter;
  registrations: RegistrationView[];
  approvals: Map<string, ApprovalView>;
  limit: number;
  error?: string | null;
}

/** The queue: pending registrations (by default), their possible duplicates, several at once. */
export function RegistrationsPage(props: RegistrationsPageProps) {
  const { lang } = props;
  const pending = props.status === 'pending';
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.registrations.title')} page="console-registrations" section="registrations">
      <p class="lead">{t(lang, 'console.registrations.lead')}</p>
      <ActionError lang={lang} code={props.error} />
      <StatusFilter lang={lang} action="/inscriptions" statuses={REGISTRATION_STATUSES} current={props.status} labels={(s) => statusLabel(lang, s)} />
      {props.registrations.length === 0 ? (
        <p data-testid="queue-empty">{t(lang, 'console.queue.empty')}</p>
      ) : (
        <BulkForm lang={lang} action="/inscriptions/lot" enabled={pending}>
          <table class="table console-table" data-testid="registrations">
            <caption class="visually-hidden">{t(lang, 'console.registrations.title')}</caption>
            <thead>
              <tr>
                {pending && <th scope="col">{t(lang, 'console.queue.selectColumn')}</th>}
                <th scope="col">{t(lang, 'console.registrations.person')}</th>
                <th scope="col">{t(lang, 'console.registrations.profession')}</th>
                <th scope="col">{t(lang, 'console.registrations.establishment')}</th>
                <th scope="col">{t(lang, 'console.queue.receivedOn')}</th>
                <th scope="col">{t(lang, 'console.registrations.duplicates')}</th>
                <th scope="col">{t(lang, 'console.queue.status')}</th>
                <th scope="col">{t(lang, 'console.queue.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.registrations.map((r) => {
                const name = `${r.givenName} ${r.familyName}`;
                const approval = props.approvals.get(r.id);
                return (
                  <tr key={r.id} data-id={r.id} data-status={r.status}>
                    {pending && <td>{approval ? null : <SelectBox lang={lang} id={r.id} name={name} />}</td>}
                    <th scope="row">
                      {name}
                      <br />
                      <span class="muted console-email">{r.email}</span>
                    </th>
                    <td>
                      {r.profession ?? t(lang, 'console.none')}
                      {r.rpps ? (
                        <>
                          <br />
                          <span class="muted">RPPS {r.rpps}</span>
                        </>
                      ) : null}
                    </td>
                    <td>{r.establishmentName ?? r.establishmentId ?? t(lang, 'console.none')}</td>
                    <td>{r.createdAt ? formatDate(lang, Date.parse(r.createdAt)) : t(lang, 'console.none')}</td>
                    <td>
                      <Duplicates lang={lang} registration={r} />
                    </td>
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
                      <a href={`/inscriptions/${r.id}`} aria-label={t(lang, 'console.queue.reviewNamed', { name })}>
                        {t(lang, 'console.queue.review')}
                      </a>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {props.registrations.length >= props.limit && <p class="muted">{t(lang, 'console.queue.limit', { count: props.limit })}</p>}
        </BulkForm>
      )}
    </ConsoleLayout>
  );
}

export interface RegistrationPageProps extends Shell {
  registration: RegistrationView;
  applicationName: string | null;
  approval: ApprovalView | null;
  fourEyes: { approve: boolean; reject: boolean };
  error?: string | null;
  reason?: string | null;
}

/** One registration beside its possible duplicates, with the decision forms (the confirmation step). */
export function RegistrationPage(props: RegistrationPageProps) {
  const { lang, registration: r } = props;
  const name = `${r.givenName} ${r.familyName}`;
  return (
    <ConsoleLayout {...props} title={t(lang, 'console.registrations.detailTitle', { name })} page="console-registration" section="registrations">
      <p>
        <a href="/inscriptions">{t(lang, 'console.queue.back')}</a>
      </p>
      <ActionError lang={lang} code={props.error} />
      <OpenApprovalNotice lang={lang} approval={props.approval} />
      <div class="console-compare">
        <section aria-labelledby="request-title">
          <h2 id="request-title">{t(lang, 'console.registrations.request')}</h2>
          <dl class="details">
            <Item lang={lang} label={t(lang, 'console.registrations.givenName')}>{r.givenName}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.familyName')}>{r.familyName}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.email')}>{r.email}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.profession')}>{r.profession}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.rpps')}>{r.rpps}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.establishment')}>{r.establishmentName ?? r.establishmentId}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.application')}>{props.applicationName ?? r.requestedApplication}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.reason')}>{r.reason}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.lang')}>{r.lang}</Item>
            <Item lang={lang} label={t(lang, 'console.queue.receivedOn')}>{r.createdAt ? formatDate(lang, Date.parse(r.createdAt)) : null}</Item>
            <Item lang={lang} label={t(lang, 'console.registrations.ip')}>{r.ip}</Item>
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
        </section>
        <section aria-labelledby="duplicates-title" data-testid="duplicates">
          <h2 id="duplicates-title">{t(lang, 'console.registrations.duplicates')}</h2>
          <p class="muted">{t(lang, 'console.registrations.duplicatesLead')}</p>
          {r.duplicates.length === 0 ? (
            <p>{t(lang, 'console.registrations.noDuplicates')}</p>
          ) : (
            r.duplicates.map((d, index) => (
              <article key={`${d.kind}-${d.id}`} class="console-card" data-duplicate={d.kind} aria-labelledby={`duplicate-${index}`}>
                <h3 id={`duplicate-${index}`}>{d.kind === 'user' ? t(lang, 'console.registrations.duplicateAccount', { identifier: d.identifier ?? d.id }) : t(lang, 'console.registrations.duplicateRegistration')}</h3>
                <p>
                  {d.givenName} {d.familyName} · {d.kind === 'user' ? t(lang, `console.accountStatus.${d.status}` as MessageKey) : statusLabel(lang, d.status)}
                </p>
                <p>
                  <strong>{t(lang, 'console.registrations.matches', { fields: d.matches.map((m) => t(lang, `console.duplicate.${m}`)).join(', ') })}</strong>
                </p>
                {d.kind === 'registration' && (
                  <p>
                    <a href={`/inscriptions/${d.id}`}>{t(lang, 'console.queue.review')}</a>
                  </p>
                )}
              </article>
            ))
          )}
        </section>
      </div>
      {r.status === 'pending' && !props.approval && (
        <DecisionForms
          lang={lang}
          csrfToken={props.csrfToken}
          base="/inscriptions"
          id={r.id}
          approveHint={t(lang, 'console.registrations.approveHint')}
          approveLabel={t(lang, 'console.registrations.approveButton')}
          rejectLabel={t(lang, 'console.registrations.rejectButton')}
          fourEyes={props.fourEyes}
          reason={props.reason}
          reasonInvalid={props.error === 'reason_required' || props.error === 'reason_too_long' || props.error === 'invalid_characters'}
        />
      )}
    </ConsoleLayout>
  );
}
