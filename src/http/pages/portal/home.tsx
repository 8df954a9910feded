import { t } from '../../i18n/index.ts';
import { PortalLayout, type PortalPageProps } from './shell.tsx';
import { formatDate } from '../../../shared/time.ts';

/** Anonymous landing: sign in, register, withdraw a certificate, help. */
export function PortalLandingPage({ lang }: PortalPageProps) {
  return (
    <PortalLayout lang={lang} title={t(lang, 'portal.landing.title')} page="portal-landing">
      <p class="lead">{t(lang, 'portal.landing.lead')}</p>
      <ul class="portal-actions">
        <li>
          <a class="button" href="/connexion">
            {t(lang, 'portal.landing.login')}
          </a>
          <p class="field-hint">{t(lang, 'portal.landing.loginHint')}</p>
        </li>
        <li>
          <a href="/inscription">{t(lang, 'portal.landing.register')}</a>
          <p class="field-hint">{t(lang, 'portal.landing.registerHint')}</p>
        </li>
        <li>
          <a href="/retrait">{t(lang, 'portal.landing.withdrawal')}</a>
          <p class="field-hint">{t(lang, 'portal.landing.withdrawalHint')}</p>
        </li>
        <li>
          <a href="/aide">{t(lang, 'portal.landing.help')}</a>
        </li>
      </ul>
    </PortalLayout>
  );
}

export interface PortalHomePageProps extends PortalPageProps {
  givenName: string;
  previousLogin: { at: number; ip: string | null } | null;
  /** Granted applications; each tile posts to `/applications/:id/ouvrir` (single sign-on ticket). */
  applications: Array<{ id: string; name: string }>;
  /** Access requests awaiting the cell's decision. */
  pending?: Array<{ name: string; since: number }>;
}

/** Signed in: the applications one may use (one click each), and the account sections. */
export function PortalHomePage(props: PortalHomePageProps) {
  const { lang, previousLogin } = props;
  return (
    <PortalLayout {...props} title={t(lang, 'portal.home.title', { name: props.givenName })} page="portal-home">
      <LastLogin lang={lang} previous={previousLogin} />
      <section aria-labelledby="tiles-title">
        <h2 id="tiles-title">{t(lang, 'portal.home.applications')}</h2>
        {(props.pending ?? []).length > 0 && (
          <ul class="pending-requests" data-testid="pending-access">
            {props.pending!.map((p) => (
              <li key={p.name}>{t(lang, 'portal.home.pending', { application: p.name, date: formatDate(lang, p.since, false) })}</li>
            ))}
          </ul>
        )}
        {props.applications.length === 0 ? (
          (props.pending ?? []).length === 0 && (
            <p>
              {t(lang, 'portal.home.noApplications')} <a href="/applications">{t(lang, 'portal.home.requestApplication')}</a>
            </p>
          )
        ) : (
          <ul class="tiles">
            {props.applications.map((app) => (
              <li key={app.id}>
                <form method="post" action={`/applications/${encodeURIComponent(app.id)}/ouvrir`}>
                  <input type="hidden" name="csrf" value={props.csrfToken} />
                  <button type="submit" class="tile" aria-label={t(lang, 'sso.tiles.open', { application: app.name })} data-application={app.id}>
                    {app.name}
                  </button>
                </form>
              </li>
            ))}
          </ul>
        )}
        <p class="field-hint">{t(lang, 'portal.home.certificateNeeded')}</p>
        {props.applications.length > 0 && <p class="field-hint">{t(lang, 'sso.tiles.hint')}</p>}
      </section>
      <section aria-labelledby="sections-title">
        <h2 id="sections-title">{t(lang, 'portal.home.manage')}</h2>
        <ul>
          <li>
            <a href="/certificats">{t(lang, 'portal.nav.certificates')}</a> — {t(lang, 'portal.home.certificatesHint')}
          </li>
          <li>
            <a href="/applications">{t(lang, 'portal.nav.applications')}</a> — {t(lang, 'portal.home.applicationsHint')}
          </li>
          <li>
            <a href="/compte">{t(lang, 'portal.nav.account')}</a> — {t(lang, 'portal.home.accountHint')}
          </li>
        </ul>
      </section>
    </PortalLayout>
  );
}

/** "Dernière connexion : le … depuis …" — the login before this one. */
export function LastLogin({ lang, previous }: { lang: PortalPageProps['lang']; previous: { at: number; ip: string | null } | null }) {
  return (
    <p class="last-login" data-testid="last-login">
      {previous
        ? t(lang, 'portal.lastLogin', { date: formatDate(lang, previous.at), ip: previous.ip ?? t(lang, 'portal.lastLogin.unknownIp') })
        : t(lang, 'portal.lastLogin.first')}
    </p>
  );
}
