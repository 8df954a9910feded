import { t, type Lang } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import type { CertificateState } from '../../../portal/requests.ts';
import type { CertificateRequest } from '../../../model/index.ts';
import { CsrfField, ErrorSummary, PortalLayout, TextField, errorFor, type PortalPageProps } from './shell.tsx';
import { formatDate } from '../../../shared/time.ts';

export interface CertificateRow {
  serial: string;
  label: string;
  notBefore: number;
  notAfter: number;
  state: CertificateState;
  revokedAt: number | null;
}

export interface CertificatesPageProps extends PortalPageProps {
  csrfToken: string;
  requests: Array<Pick<CertificateRequest, 'id' | 'label' | 'status' | 'createdAt' | 'decisionReason' | 'certificateSerial'>>;
  certificates: CertificateRow[];
  values?: { label?: string };
  errors?: FieldError[];
  /** Renewal page on the gateway, and how close to expiry a certificate gets a "Renouveler" link. */
  renewal?: { url: string; noticeDays: number; now: number };
}

const DAY_MS = 86_400_000;

/** Serials read better in groups: 3f:a2:… */
export function groupSerial(serial: string): string {
  return serial.match(/.{1,2}/g)?.join(':') ?? serial;
}

function RequestStatus({ lang, request }: { lang: Lang; request: CertificatesPageProps['requests'][number] }) {
  const text = t(lang, `portal.certificates.request.${request.status}`);
  if (request.status === 'rejected' && request.decisionReason) return <>{t(lang, 'portal.certificates.rejectedBecause', { status: text, reason: request.decisionReason })}</>;
  return <>{text}</>;
}

/** Journey 4: one certificate per workstation; the list; self-revocation. */
export function CertificatesPage(props: CertificatesPageProps) {
  const { lang, errors = [], renewal } = props;
  const labels = { label: t(lang, 'portal.certificates.label') };
  return (
    <PortalLayout {...props} title={t(lang, 'portal.certificates.title')} page="portal-certificates">
      <p class="lead">{t(lang, 'portal.certificates.lead')}</p>
      <section aria-labelledby="new-title">
        <h2 id="new-title">{t(lang, 'portal.certificates.newTitle')}</h2>
        <ErrorSummary lang={lang} errors={errors} labels={labels} />
        <form class="form" method="post" action="/certificats" noValidate>
          <CsrfField token={props.csrfToken} />
          <TextField lang={lang} name="label" label={labels.label} hint={t(lang, 'portal.certificates.labelHint')} value={props.values?.label} required maxLength={100} error={errorFor(errors, 'label')} />
          <button class="button" type="submit">
            {t(lang, 'portal.certificates.submit')}
          </button>
        </form>
        <p>
          {t(lang, 'portal.certificates.withdrawalHint')} <a href="/retrait">{t(lang, 'portal.certificates.withdrawalLink')}</a>
        </p>
      </section>

      <section aria-labelledby="requests-title">
        <h2 id="requests-title">{t(lang, 'portal.certificates.requestsTitle')}</h2>
        {props.requests.length === 0 ? (
          <p>{t(lang, 'portal.certificates.noRequests')}</p>
        ) : (
          <table class="table" data-testid="certificate-requests">
            <caption class="visually-hidden">{t(lang, 'portal.certificates.requestsTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t(lang, 'portal.certificates.label')}</th>
                <th scope="col">{t(lang, 'portal.certificates.requestedOn')}</th>
                <th scope="col">{t(lang, 'portal.certificates.status')}</th>
              </tr>
            </thead>
            <tbody>
              {props.requests.map((request) => (
                <tr key={request.id} data-status={request.status}>
                  <th scope="row">{request.label}</th>
                  <td>{formatDate(lang, request.createdAt, false)}</td>
                  <td>
                    <RequestStatus lang={lang} request={request} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="certificates-title">
        <h2 id="certificates-title">{t(lang, 'portal.certificates.listTitle')}</h2>
        {renewal && props.certificates.some((c) => c.state === 'valid') && <p>{t(lang, 'portal.certificates.renewHint', { days: renewal.noticeDays })}</p>}
        {props.certificates.length === 0 ? (
          <p>{t(lang, 'portal.certificates.none')}</p>
        ) : (
          <table class="table" data-testid="certificates">
            <caption class="visually-hidden">{t(lang, 'portal.certificates.listTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t(lang, 'portal.certificates.label')}</th>
                <th scope="col">{t(lang, 'portal.certificates.serial')}</th>
                <th scope="col">{t(lang, 'portal.certificates.validity')}</th>
                <th scope="col">{t(lang, 'portal.certificates.status')}</th>
                <th scope="col">{t(lang, 'portal.certificates.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.certificates.map((c) => (
                <tr key={c.serial} data-serial={c.serial} data-state={c.state}>
                  <th scope="row">{c.label}</th>
                  <td class="identifier">{groupSerial(c.serial)}</td>
                  <td>{t(lang, 'portal.certificates.validFromTo', { from: formatDate(lang, c.notBefore, false), to: formatDate(lang, c.notAfter, false) })}</td>
                  <td>{c.state === 'revoked' && c.revokedAt ? t(lang, 'portal.certificates.revokedOn', { date: formatDate(lang, c.revokedAt) }) : t(lang, `portal.certificates.state.${c.state}`)}</td>
                  <td>
                    {c.state === 'valid' && renewal && c.notAfter - renewal.now <= renewal.noticeDays * DAY_MS && (
                      <>
                        <a href={renewal.url} data-renew aria-label={t(lang, 'portal.certificates.renewNamed', { label: c.label })}>
                          {t(lang, 'portal.certificates.renew')}
                        </a>{' '}
                      </>
                    )}
                    {c.state === 'valid' && (
                      <a href={`/certificats/${c.serial}/revoquer`} aria-label={t(lang, 'portal.certificates.revokeNamed', { label: c.label })}>
                        {t(lang, 'portal.certificates.revoke')}
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </PortalLayout>
  );
}

export interface RevokePageProps extends PortalPageProps {
  csrfToken: string;
  certificate: CertificateRow;
  error?: boolean;
}

/** The confirmation step before a self-revocation, with the reason. */
export function RevokeCertificatePage(props: RevokePageProps) {
  const { lang, certificate } = props;
  const errorId = 'reason-error';
  return (
    <PortalLayout {...props} title={t(lang, 'portal.revoke.title', { label: certificate.label })} page="portal-revoke">
      <dl class="details">
        <div>
          <dt>{t(lang, 'portal.certificates.label')}</dt>
          <dd>{certificate.label}</dd>
        </div>
        <div>
          <dt>{t(lang, 'portal.certificates.serial')}</dt>
          <dd class="identifier">{groupSerial(certificate.serial)}</dd>
        </div>
        <div>
          <dt>{t(lang, 'portal.certificates.validity')}</dt>
          <dd>{t(lang, 'portal.certificates.validFromTo', { from: formatDate(lang, certificate.notBefore, false), to: formatDate(lang, certificate.notAfter, false) })}</dd>
        </div>
      </dl>
      <p class="lead">{t(lang, 'portal.revoke.lead')}</p>
      {props.error && (
        <div class="alert alert-error" role="alert" id={errorId}>
          <p>{t(lang, 'portal.revoke.chooseReason')}</p>
        </div>
      )}
      <form class="form" method="post" action={`/certificats/${certificate.serial}/revoquer`}>
        <CsrfField token={props.csrfToken} />
        <fieldset aria-describedby={props.error ? errorId : undefined}>
          <legend>{t(lang, 'portal.revoke.why')}</legend>
          <div class="field field-checkbox">
            <input id="reason-lost" type="radio" name="reason" value="lost" required />
            <label for="reason-lost">{t(lang, 'portal.revoke.lost')}</label>
          </div>
          <div class="field field-checkbox">
            <input id="reason-replaced" type="radio" name="reason" value="replaced" required />
            <label for="reason-replaced">{t(lang, 'portal.revoke.replaced')}</label>
          </div>
        </fieldset>
        <p>{t(lang, 'portal.revoke.warning')}</p>
        <button class="button button-danger" type="submit">
          {t(lang, 'portal.revoke.submit')}
        </button>{' '}
        <a href="/certificats">{t(lang, 'portal.revoke.cancel')}</a>
      </form>
    </PortalLayout>
  );
}
