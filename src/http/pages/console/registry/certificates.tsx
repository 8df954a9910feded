import { t, type Lang } from '../../../i18n/index.ts';
import { OFFERED_REVOCATION_REASONS, type CertificateQueryInput, type CertificateView } from '../../../../registry/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { CsrfField, Details, ErrorSummary, Pager, Select, Table, TextInput, fieldId, groupSerial, spacedSerial, withQuery, type FieldProblem, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

const SECTION = 'certificates';

export interface CertificatesPageProps extends RegistryPageBase {
  filters: Partial<CertificateQueryInput>;
  establishments: Array<{ id: string; name: string }>;
  items: CertificateView[];
  next: string | null;
  /** Days for the "expiring soon" shortcut (config.renewal.noticeDays). */
  noticeDays: number;
  problems: FieldProblem[];
}

export function holderOf(lang: Lang, c: CertificateView): string {
  if (c.holder) return `${c.holder.familyName} ${c.holder.givenName} (${c.holder.identifier})`;
  return c.establishment ? t(lang, 'registry.certificate.workstationOf', { name: c.establishment.name }) : '—';
}

function filterQuery(f: Partial<CertificateQueryInput>) {
  return { q: f.q, kind: f.kind, status: f.status, establishment: f.establishment, expiringWithinDays: f.expiringWithinDays, limit: f.limit === 50 ? undefined : f.limit };
}

/** Filters (kind, state, establishment, expiring soon, search) and one keyset page. */
export function CertificatesPage(props: CertificatesPageProps) {
  const { lang, filters, problems } = props;
  const labels = {
    q: t(lang, 'registry.certificates.search'),
    kind: t(lang, 'registry.certificate.kind'),
    status: t(lang, 'registry.certificate.state'),
    establishment: t(lang, 'registry.certificate.establishment'),
    expiringWithinDays: t(lang, 'registry.certificates.expiring'),
  };
  const problem = (field: string) => problems.find((p) => p.field === field);
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.certificates.title')} page="console-certificates" section={SECTION}>
      <ErrorSummary lang={lang} problems={problems} labels={labels} />
      <form class="form registry-filters" method="get" action="/certificats" role="search" aria-label={t(lang, 'registry.filters.label')}>
        <TextInput lang={lang} name="q" type="search" label={labels.q} hint={t(lang, 'registry.certificates.searchHint')} value={filters.q} maxLength={100} filter problem={problem('q')} />
        <Select
          lang={lang}
          name="kind"
          label={labels.kind}
          value={filters.kind}
          emptyLabel={t(lang, 'registry.filters.all')}
          options={(['personal', 'collective'] as const).map((k) => ({ value: k, label: t(lang, `registry.kind.${k}`) }))}
          problem={problem('kind')}
        />
        <Select
          lang={lang}
          name="status"
          label={labels.status}
          value={filters.status}
          emptyLabel={t(lang, 'registry.filters.all')}
          options={(['valid', 'expired', 'revoked'] as const).map((s) => ({ value: s, label: t(lang, `registry.state.${s}`) }))}
          problem={problem('status')}
        />
        <Select
          lang={lang}
          name="establishment"
          label={labels.establishment}
          value={filters.establishment}
          emptyLabel={t(lang, 'registry.filters.all')}
          options={props.establishments.map((e) => ({ value: e.id, label: e.name }))}
          problem={problem('establishment')}
        />
        <TextInput
          lang={lang}
          name="expiringWithinDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={3650}
          label={labels.expiringWithinDays}
          hint={t(lang, 'registry.certificates.expiringHint')}
          value={filters.expiringWithinDays === undefined ? '' : String(filters.expiringWithinDays)}
          filter
          problem={problem('expiringWithinDays')}
        />
        <div class="registry-filter-actions">
          <button class="button" type="submit">
            {t(lang, 'registry.filters.apply')}
          </button>
          <a href="/certificats">{t(lang, 'registry.filters.reset')}</a>
          <a href={withQuery('/certificats', { expiringWithinDays: props.noticeDays })}>{t(lang, 'registry.certificates.expiringShortcut', { days: props.noticeDays })}</a>
        </div>
      </form>

      {props.items.length === 0 ? (
        <p role="status">{t(lang, 'registry.certificates.none')}</p>
      ) : (
        <Table
          caption={t(lang, 'registry.certificates.title')}
          testId="certificates"
          head={[
            t(lang, 'registry.certificate.serial'),
            t(lang, 'registry.certificate.kind'),
            t(lang, 'registry.certificate.holder'),
            t(lang, 'registry.certificate.label'),
            t(lang, 'registry.certificate.validUntil'),
            t(lang, 'registry.certificate.state'),
          ]}
        >
          {props.items.map((c) => (
            <tr key={c.serial} data-serial={c.serial} data-state={c.state} data-kind={c.kind}>
              <th scope="row" class="identifier registry-serial">
                <a href={`/certificats/${c.serial}`}>{spacedSerial(c.serial)}</a>
              </th>
              <td>{t(lang, `registry.kind.${c.kind}`)}</td>
              <td>{holderOf(lang, c)}</td>
              <td>{c.label}</td>
              <td>{formatCompactDate(lang, c.notAfter, false)}</td>
              <td>{t(lang, `registry.state.${c.state}`)}</td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        lang={lang}
        label={t(lang, 'registry.pager.label')}
        first={filters.after ? withQuery('/certificats', filterQuery(filters)) : null}
        next={props.next ? withQuery('/certificats', { ...filterQuery(filters), after: props.next }) : null}
      />
    </ConsoleLayout>
  );
}

export interface CertificatePageProps extends RegistryPageBase {
  certificate: CertificateView;
  crl: { number: number; thisUpdate: string } | null;
}

export function certificateRows(lang: Lang, c: CertificateView): Array<[string, string | null]> {
  return [
    [t(lang, 'registry.certificate.serial'), groupSerial(c.serial)],
    [t(lang, 'registry.certificate.kind'), t(lang, `registry.kind.${c.kind}`)],
    [t(lang, 'registry.certificate.holder'), holderOf(lang, c)],
    [t(lang, 'registry.certificate.label'), c.label],
    [t(lang, 'registry.certificate.subject'), c.subject],
    [t(lang, 'registry.certificate.validity'), t(lang, 'registry.certificate.validFromTo', { from: formatCompactDate(lang, c.notBefore, false), to: formatCompactDate(lang, c.notAfter, false) })],
    [t(lang, 'registry.certificate.state'), t(lang, `registry.state.${c.state}`)],
  ];
}

/** One certificate, its revocation (reason, date, CRL) or the way to revoke it. */
export function CertificatePage(props: CertificatePageProps) {
  const { lang, certificate: c } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.certificate.title', { label: c.label })} page="console-certificate" section={SECTION}>
      <Details
        testId="certificate-details"
        rows={[
          ...certificateRows(lang, c),
          [t(lang, 'registry.certificate.fingerprint'), c.fingerprintSha256],
          ...(c.revokedAt ? ([[t(lang, 'registry.certificate.revoked'), t(lang, 'registry.certificate.revokedOn', { date: formatCompactDate(lang, c.revokedAt), reason: t(lang, reasonKey(c.revocationReason)) })]] as Array<[string, string]>) : []),
          ...(c.replacesSerial ? ([[t(lang, 'registry.certificate.replaces'), groupSerial(c.replacesSerial)]] as Array<[string, string]>) : []),
        ]}
      />
      <p data-testid="crl" data-crl-number={props.crl?.number ?? 0}>
        {props.crl ? t(lang, 'registry.crl.latest', { number: props.crl.number, date: formatCompactDate(lang, props.crl.thisUpdate) }) : t(lang, 'registry.crl.none')}
      </p>
      {c.holder ? (
        <p>
          <a href={`/personnes/${c.holder.id}`}>{t(lang, 'registry.certificate.holderPage')}</a>
        </p>
      ) : c.establishment ? (
        <p>
          <a href={`/etablissements/${c.establishment.id}`}>{t(lang, 'registry.certificate.establishmentPage')}</a>
        </p>
      ) : null}
      {c.state !== 'revoked' ? (
        <p>
          <a class="button button-danger" href={`/certificats/${c.serial}/revoquer`}>
            {t(lang, 'registry.revoke.action')}
          </a>
        </p>
      ) : null}
    </ConsoleLayout>
  );
}

type ReasonKey = `registry.reason.${(typeof OFFERED_REVOCATION_REASONS)[number]}` | 'registry.reason.other';

export function reasonKey(reason: string | null): ReasonKey {
  const known = OFFERED_REVOCATION_REASONS.find((r) => r === reason);
  return known ? `registry.reason.${known}` : 'registry.reason.other';
}

export interface RevokePageProps extends RegistryPageBase {
  certificate: CertificateView;
  problems: FieldProblem[];
  reason: string | null;
}

/** The confirmation step: what will stop working, the RFC 5280 reason, then the POST. */
export function RevokeCertificatePage(props: RevokePageProps) {
  const { lang, certificate: c, problems } = props;
  const problem = problems.find((p) => p.field === 'reason');
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.revoke.title', { label: c.label })} page="console-certificate-revoke" section={SECTION}>
      <ErrorSummary lang={lang} problems={problems} labels={{ reason: t(lang, 'registry.revoke.reason') }} />
      <Details testId="certificate-details" rows={certificateRows(lang, c)} />
      <p class="alert alert-error">{t(lang, c.kind === 'collective' ? 'registry.revoke.warningCollective' : 'registry.revoke.warningPersonal')}</p>
      <form class="form" method="post" action={`/certificats/${c.serial}/revoquer`} noValidate>
        <CsrfField token={props.csrfToken} />
        <fieldset id={fieldId('reason')} aria-describedby={problem ? `${fieldId('reason')}-error` : undefined}>
          <legend>{t(lang, 'registry.revoke.reason')}</legend>
          {problem ? (
            <p class="field-error" id={`${fieldId('reason')}-error`}>
              {t(lang, `registry.error.${problem.code}`)}
            </p>
          ) : null}
          {OFFERED_REVOCATION_REASONS.map((r) => (
            <div class="field field-checkbox" key={r}>
              <input type="radio" id={`reason-${r}`} name="reason" value={r} checked={props.reason === r} aria-describedby={`reason-${r}-hint`} />
              <label for={`reason-${r}`}>{t(lang, `registry.reason.${r}`)}</label>
              <p class="field-hint" id={`reason-${r}-hint`}>
                {t(lang, `registry.reasonHint.${r}`)}
              </p>
            </div>
          ))}
        </fieldset>
        <button class="button button-danger" type="submit">
          {t(lang, 'registry.revoke.confirm')}
        </button>{' '}
        <a href={`/certificats/${c.serial}`}>{t(lang, 'registry.cancel')}</a>
      </form>
    </ConsoleLayout>
  );
}
