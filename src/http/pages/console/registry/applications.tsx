import { t } from '../../../i18n/index.ts';
import type { ApplicationDetail, ApplicationView } from '../../../../registry/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { Details, Pager, Table, withQuery, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

const SECTION = 'applications';

export interface ApplicationsPageProps extends RegistryPageBase {
  applications: ApplicationView[];
}

/** The catalogue as configured, with who has access and who is waiting. */
export function ApplicationsPage(props: ApplicationsPageProps) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.applications.title')} page="console-applications" section={SECTION}>
      <p class="lead">{t(lang, 'registry.applications.lead')}</p>
      {props.applications.length === 0 ? (
        <p>{t(lang, 'registry.applications.none')}</p>
      ) : (
        <Table
          caption={t(lang, 'registry.applications.title')}
          testId="applications"
          head={[t(lang, 'registry.application.name'), t(lang, 'registry.application.address'), t(lang, 'registry.application.grants'), t(lang, 'registry.application.pending')]}
        >
          {props.applications.map((a) => (
            <tr key={a.id} data-id={a.id}>
              <th scope="row">
                <a href={`/applications/${a.id}`}>{a.name}</a>
              </th>
              <td class="identifier">{a.url}</td>
              <td>{a.grants}</td>
              <td>{a.pendingRequests > 0 ? <a href="/demandes-acces">{a.pendingRequests}</a> : '0'}</td>
            </tr>
          ))}
        </Table>
      )}
    </ConsoleLayout>
  );
}

export interface ApplicationPageProps extends RegistryPageBase {
  detail: ApplicationDetail;
  after: string | null;
}

export function ApplicationPage(props: ApplicationPageProps) {
  const { lang, detail } = props;
  const a = detail.application;
  const path = `/applications/${a.id}`;
  return (
    <ConsoleLayout {...props} title={a.name} page="console-application" section={SECTION}>
      <Details
        testId="application-details"
        rows={[
          [t(lang, 'registry.application.id'), a.id],
          [t(lang, 'registry.application.address'), a.url],
          [t(lang, 'registry.application.grants'), String(a.grants)],
          [t(lang, 'registry.application.pending'), String(a.pendingRequests)],
        ]}
      />
      <section aria-labelledby="pending">
        <h2 id="pending">{t(lang, 'registry.application.pendingTitle')}</h2>
        {detail.pending.length === 0 ? (
          <p>{t(lang, 'registry.application.noPending')}</p>
        ) : (
          <>
            <Table caption={t(lang, 'registry.application.pendingTitle')} testId="pending-access" head={[t(lang, 'registry.person.name'), t(lang, 'registry.person.identifier'), t(lang, 'registry.application.requestedOn')]}>
              {detail.pending.map((r) => (
                <tr key={r.requestId} data-id={r.requestId}>
                  <th scope="row">
                    <a href={`/personnes/${r.person.id}`}>
                      {r.person.familyName} {r.person.givenName}
                    </a>
                  </th>
                  <td class="identifier">{r.person.identifier}</td>
                  <td>{formatCompactDate(lang, r.requestedAt)}</td>
                </tr>
              ))}
            </Table>
            <p>
              <a href="/demandes-acces">{t(lang, 'registry.application.decide')}</a>
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="holders">
        <h2 id="holders">{t(lang, 'registry.application.holdersTitle')}</h2>
        {detail.holders.items.length === 0 ? (
          <p>{t(lang, 'registry.application.noHolders')}</p>
        ) : (
          <Table
            caption={t(lang, 'registry.application.holdersTitle')}
            testId="grant-holders"
            head={[t(lang, 'registry.person.name'), t(lang, 'registry.person.identifier'), t(lang, 'registry.person.establishment'), t(lang, 'registry.person.status'), t(lang, 'registry.application.since')]}
          >
            {detail.holders.items.map((h) => (
              <tr key={h.id} data-identifier={h.identifier}>
                <th scope="row">
                  <a href={`/personnes/${h.id}`}>
                    {h.familyName} {h.givenName}
                  </a>
                </th>
                <td class="identifier">{h.identifier}</td>
                <td>{h.establishmentName ?? '—'}</td>
                <td>{t(lang, `registry.account.${h.status}`)}</td>
                <td>{formatCompactDate(lang, h.grantedAt, false)}</td>
              </tr>
            ))}
          </Table>
        )}
        <Pager lang={lang} label={t(lang, 'registry.pager.label')} first={props.after ? path : null} next={detail.holders.next ? withQuery(path, { after: detail.holders.next }) : null} />
      </section>
    </ConsoleLayout>
  );
}
