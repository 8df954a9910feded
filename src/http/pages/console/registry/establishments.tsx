import { t, type Lang } from '../../../i18n/index.ts';
import type { EstablishmentDetail, EstablishmentListItem } from '../../../../registry/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { CsrfField, Details, ErrorSummary, Table, TextInput, fieldId, spacedSerial, type FieldProblem, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

const SECTION = 'establishments';

export interface EstablishmentsPageProps extends RegistryPageBase {
  q: string;
  items: EstablishmentListItem[];
  total: number;
}

/** Search by name or FINESS, and the list (first 100 matches). */
export function EstablishmentsPage(props: EstablishmentsPageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.establishments.title')} page="console-establishments" section={SECTION}>
      <form class="form registry-filters" method="get" action="/etablissements" role="search">
        <TextInput lang={lang} name="q" type="search" label={t(lang, 'registry.establishments.search')} hint={t(lang, 'registry.establishments.searchHint')} value={props.q} maxLength={100} filter />
        <div class="registry-filter-actions">
          <button class="button" type="submit">
            {t(lang, 'registry.filters.apply')}
          </button>
          {props.q ? <a href="/etablissements">{t(lang, 'registry.filters.reset')}</a> : null}
        </div>
      </form>
      <p>
        <a class="button button-secondary" href="/etablissements/nouveau">
          {t(lang, 'registry.establishments.new')}
        </a>
      </p>
      <p role="status" data-testid="establishment-count">
        {props.items.length < props.total ? t(lang, 'registry.establishments.countLimited', { shown: props.items.length, total: props.total }) : t(lang, 'registry.establishments.count', { total: props.total })}
      </p>
      {props.items.length === 0 ? null : (
        <Table
          caption={t(lang, 'registry.establishments.title')}
          testId="establishments"
          head={[t(lang, 'registry.establishment.name'), t(lang, 'registry.establishment.finess'), t(lang, 'registry.establishment.referent'), t(lang, 'registry.establishments.people'), t(lang, 'registry.establishments.collective')]}
        >
          {props.items.map((e) => (
            <tr key={e.id} data-id={e.id}>
              <th scope="row">
                <a href={`/etablissements/${e.id}`}>{e.name}</a>
              </th>
              <td class="identifier">{e.finess ?? '—'}</td>
              <td>{e.referentEmail}</td>
              <td>{e.people}</td>
              <td>{e.collectiveCertificates}</td>
            </tr>
          ))}
        </Table>
      )}
    </ConsoleLayout>
  );
}

export interface EstablishmentFormProps extends RegistryPageBase {
  /** null: a new establishment. */
  establishment: { id: string; name: string } | null;
  values: { name?: string; finess?: string | null; referentEmail?: string };
  problems: FieldProblem[];
}

export function EstablishmentFormPage(props: EstablishmentFormProps) {
  const { lang, establishment, values, problems } = props;
  const labels = { name: t(lang, 'registry.establishment.name'), finess: t(lang, 'registry.establishment.finess'), referentEmail: t(lang, 'registry.establishment.referent') };
  const problem = (field: string) => problems.find((p) => p.field === field);
  const title = establishment ? t(lang, 'registry.establishment.editTitle', { name: establishment.name }) : t(lang, 'registry.establishment.newTitle');
  return (
    <ConsoleLayout {...props} title={title} page={establishment ? 'console-establishment-edit' : 'console-establishment-new'} section={SECTION}>
      <ErrorSummary lang={lang} problems={problems} labels={labels} />
      <form class="form" method="post" action={establishment ? `/etablissements/${establishment.id}/modifier` : '/etablissements'} noValidate>
        <CsrfField token={props.csrfToken} />
        <TextInput lang={lang} name="name" label={labels.name} value={values.name} required maxLength={200} problem={problem('name')} />
        <TextInput lang={lang} name="finess" label={labels.finess} hint={t(lang, 'registry.establishment.finessHint')} value={values.finess} maxLength={9} problem={problem('finess')} />
        <TextInput lang={lang} name="referentEmail" type="email" label={labels.referentEmail} hint={t(lang, 'registry.establishment.referentHint')} value={values.referentEmail} required maxLength={254} problem={problem('referentEmail')} />
        <button class="button" type="submit">
          {establishment ? t(lang, 'registry.establishment.save') : t(lang, 'registry.establishment.create')}
        </button>{' '}
        <a href={establishment ? `/etablissements/${establishment.id}` : '/etablissements'}>{t(lang, 'registry.cancel')}</a>
      </form>
    </ConsoleLayout>
  );
}

function RequestState({ lang, request }: { lang: Lang; request: EstablishmentDetail['openRequests'][number] }) {
  if (request.status === 'pending') return <>{t(lang, 'registry.collective.pending')}</>;
  if (!request.withdrawal) return <>{t(lang, 'registry.collective.approved')}</>;
  return (
    <>
      {t(lang, 'registry.collective.codeSent', { identifier: request.withdrawal.identifier, date: formatCompactDate(lang, request.withdrawal.expiresAt, false) })}{' '}
      <span class="muted">({t(lang, `registry.code.${request.withdrawal.status}`)})</span>
    </>
  );
}

export interface EstablishmentPageProps extends RegistryPageBase {
  detail: EstablishmentDetail;
  /** Nothing refers to it: deletion is offered. */
  deletable: boolean;
  label: string;
  problems: FieldProblem[];
}

/** One establishment: details, its collective certificates and requests, its people. */
export function EstablishmentPage(props: EstablishmentPageProps) {
  const { lang, detail, problems } = props;
  const e = detail.establishment;
  const labelProblem = problems.find((p) => p.field === 'label');
  return (
    <ConsoleLayout {...props} title={e.name} page="console-establishment" section={SECTION}>
      <Details
        testId="establishment-details"
        rows={[
          [t(lang, 'registry.establishment.finess'), e.finess],
          [t(lang, 'registry.establishment.referent'), e.referentEmail],
          [t(lang, 'registry.establishment.createdAt'), formatCompactDate(lang, e.createdAt, false)],
        ]}
      />
      <ul class="registry-actions">
        <li>
          <a href={`/etablissements/${e.id}/modifier`}>{t(lang, 'registry.establishment.edit')}</a>
        </li>
        <li>
          <a href={`/etablissements/${e.id}/delegation`}>{t(lang, 'services.delegation.link')}</a>
        </li>
        {props.deletable ? (
          <li>
            <a href={`/etablissements/${e.id}/supprimer`}>{t(lang, 'registry.establishment.delete')}</a>
          </li>
        ) : null}
      </ul>

      <section aria-labelledby="collective-new">
        <h2 id="collective-new">{t(lang, 'registry.collective.newTitle')}</h2>
        <p>{t(lang, 'registry.collective.newLead', { email: e.referentEmail })}</p>
        <ErrorSummary lang={lang} problems={problems} labels={{ label: t(lang, 'registry.collective.label') }} />
        <form class="form" method="post" action={`/etablissements/${e.id}/certificats`} noValidate>
          <CsrfField token={props.csrfToken} />
          <TextInput lang={lang} name="label" label={t(lang, 'registry.collective.label')} hint={t(lang, 'registry.collective.labelHint')} value={props.label} required maxLength={100} problem={labelProblem} />
          <div class="field field-checkbox">
            <input id={fieldId('approve')} name="approve" type="checkbox" value="yes" checked />
            <label for={fieldId('approve')}>{t(lang, 'registry.collective.approve')}</label>
          </div>
          <button class="button" type="submit">
            {t(lang, 'registry.collective.submit')}
          </button>
        </form>
      </section>

      <section aria-labelledby="collective-requests">
        <h2 id="collective-requests">{t(lang, 'registry.collective.requestsTitle')}</h2>
        {detail.openRequests.length === 0 ? (
          <p>{t(lang, 'registry.collective.noRequests')}</p>
        ) : (
          <Table
            caption={t(lang, 'registry.collective.requestsTitle')}
            testId="collective-requests"
            head={[t(lang, 'registry.collective.label'), t(lang, 'registry.collective.requestedOn'), t(lang, 'registry.collective.state')]}
          >
            {detail.openRequests.map((r) => (
              <tr key={r.id} data-id={r.id} data-status={r.status}>
                <th scope="row">{r.label}</th>
                <td>{formatCompactDate(lang, r.createdAt)}</td>
                <td>
                  <RequestState lang={lang} request={r} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="collective-certificates">
        <h2 id="collective-certificates">{t(lang, 'registry.collective.certificatesTitle')}</h2>
        {detail.collectiveCertificates.length === 0 ? (
          <p>{t(lang, 'registry.collective.noCertificates')}</p>
        ) : (
          <Table
            caption={t(lang, 'registry.collective.certificatesTitle')}
            testId="collective-certificates"
            head={[t(lang, 'registry.collective.label'), t(lang, 'registry.certificate.serial'), t(lang, 'registry.certificate.validUntil'), t(lang, 'registry.certificate.state')]}
          >
            {detail.collectiveCertificates.map((c) => (
              <tr key={c.serial} data-serial={c.serial} data-state={c.state}>
                <th scope="row">{c.label}</th>
                <td class="identifier registry-serial">
                  <a href={`/certificats/${c.serial}`}>{spacedSerial(c.serial)}</a>
                </td>
                <td>{formatCompactDate(lang, c.notAfter, false)}</td>
                <td>{t(lang, `registry.state.${c.state}`)}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <section aria-labelledby="people">
        <h2 id="people">{t(lang, 'registry.establishment.peopleTitle', { count: detail.peopleTotal })}</h2>
        {detail.people.length === 0 ? (
          <p>{t(lang, 'registry.establishment.noPeople')}</p>
        ) : (
          <Table
            caption={t(lang, 'registry.establishment.peopleTitle', { count: detail.peopleTotal })}
            testId="establishment-people"
            head={[t(lang, 'registry.person.name'), t(lang, 'registry.person.identifier'), t(lang, 'registry.person.email'), t(lang, 'registry.person.status')]}
          >
            {detail.people.map((p) => (
              <tr key={p.id} data-id={p.id}>
                <th scope="row">
                  <a href={`/personnes/${p.id}`}>
                    {p.familyName} {p.givenName}
                  </a>
                </th>
                <td class="identifier">{p.identifier}</td>
                <td>{p.email}</td>
                <td>{t(lang, `registry.account.${p.status}`)}</td>
              </tr>
            ))}
          </Table>
        )}
        {detail.people.length < detail.peopleTotal ? <p>{t(lang, 'registry.establishment.peopleLimited', { shown: detail.people.length })}</p> : null}
      </section>
    </ConsoleLayout>
  );
}

export interface DeleteEstablishmentPageProps extends RegistryPageBase {
  establishment: { id: string; name: string; finess: string | null; referentEmail: string };
}

/** Confirmation before deleting an establishment that nothing refers to. */
export function DeleteEstablishmentPage(props: DeleteEstablishmentPageProps) {
  const { lang, establishment: e } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.establishment.deleteTitle', { name: e.name })} page="console-establishment-delete" section={SECTION}>
      <Details
        testId="establishment-details"
        rows={[
          [t(lang, 'registry.establishment.name'), e.name],
          [t(lang, 'registry.establishment.finess'), e.finess],
          [t(lang, 'registry.establishment.referent'), e.referentEmail],
        ]}
      />
      <p class="alert alert-error">{t(lang, 'registry.establishment.deleteWarning')}</p>
      <form class="form" method="post" action={`/etablissements/${e.id}/supprimer`}>
        <CsrfField token={props.csrfToken} />
        <button class="button button-danger" type="submit">
          {t(lang, 'registry.establishment.deleteConfirm')}
        </button>{' '}
        <a href={`/etablissements/${e.id}`}>{t(lang, 'registry.cancel')}</a>
      </form>
    </ConsoleLayout>
  );
}
