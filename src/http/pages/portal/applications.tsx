import { t, type Lang } from '../../i18n/index.ts';
import type { ApplicationView } from '../../../portal/requests.ts';
import { applicationUrl } from '../help.tsx';
import { safeUrl } from '../rich.tsx';
import { Alert, CsrfField, PortalLayout, type PortalPageProps } from './shell.tsx';
import { formatDate } from '../../../shared/time.ts';

export type AccessRequestError = 'already_pending' | 'already_granted';

export interface ApplicationsPageProps extends PortalPageProps {
  csrfToken: string;
  applications: ApplicationView[];
  gatewayPort: number;
  error?: AccessRequestError | null;
}

function Standing({ lang, app, port, csrfToken }: { lang: Lang; app: ApplicationView; port: number; csrfToken: string }) {
  const { access } = app;
  switch (access.state) {
    case 'granted':
      return (
        <p>
          {t(lang, 'portal.applications.granted')} <a href={safeUrl(applicationUrl(app.host, port))}>{t(lang, 'portal.applications.open', { name: app.name })}</a>
        </p>
      );
    case 'pending':
      return <p>{t(lang, 'portal.applications.pending', { date: formatDate(lang, access.since, false) })}</p>;
    case 'rejected':
    case 'none':
      return (
        <>
          {access.state === 'rejected' && <p>{access.reason ? t(lang, 'portal.applications.rejectedBecause', { reason: access.reason }) : t(lang, 'portal.applications.rejected')}</p>}
          <form method="post" action={`/applications/${app.id}/demander`}>
            <CsrfField token={csrfToken} />
            <button class="button" type="submit" aria-label={t(lang, 'portal.applications.requestNamed', { name: app.name })}>
              {t(lang, access.state === 'rejected' ? 'portal.applications.requestAgain' : 'portal.applications.request')}
            </button>
          </form>
        </>
      );
  }
}

/** Journey 4 (second half) and 10: the catalogue, one's standing, the tiles to open. */
export function ApplicationsPage(props: ApplicationsPageProps) {
  const { lang } = props;
  return (
    <PortalLayout {...props} title={t(lang, 'portal.applications.title')} page="portal-applications" errorCode={props.error ?? undefined}>
      <p class="lead">{t(lang, 'portal.applications.lead')}</p>
      {props.error && (
        <Alert>
          <p>{t(lang, `portal.applications.error.${props.error}`)}</p>
        </Alert>
      )}
      {props.applications.length === 0 ? (
        <p>{t(lang, 'portal.applications.none')}</p>
      ) : (
        <ul class="catalogue">
          {props.applications.map((app) => (
            <li key={app.id} data-application={app.id} data-access={app.access.state}>
              <h2>{app.name}</h2>
              <Standing lang={lang} app={app} port={props.gatewayPort} csrfToken={props.csrfToken} />
            </li>
          ))}
        </ul>
      )}
      <p class="field-hint">{t(lang, 'portal.home.certificateNeeded')}</p>
    </PortalLayout>
  );
}
