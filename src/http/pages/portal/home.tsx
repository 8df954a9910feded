import { t } from '../../i18n/index.ts';
import { applicationUrl } from '../help.tsx';
import { safeUrl } from '../rich.tsx';
import { PortalLayout, formatDate, type PortalPageProps } from './shell.tsx';

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
  applications: Array<{ name: string; host: string }>;
  gatewayPort: number;
}

/** Signed in: the applications one may use (one click each), and the account sections. */
export function PortalHomePage(props: PortalHomePageProps) {
  const { lang, previousLogin } = props;
  return (
    <PortalLayout {...props} title={t(lang, 'portal.home.title', { name: props.givenName })} page="portal-home">
      <LastLogin lang={lang} previous={previousLogin} />
      <section aria-labelledby="tiles-title">
        <h2 id="tiles-title">{t(lang, 'portal.home.applications')}</h2>
        {props.applications.length === 0 ? (
          <p>
            {t(lang, 'portal.home.noApplications')} <a href="/applications">{t(lang, 'portal.home.requestApplication')}</a>
          </p>
        ) : (
          <ul class="tiles">
            {props.applications.map((app) => (
              <li key={app.host}>
                <a class="tile" href={safeUrl(applicationUrl(app.host, props.gatewayPort))}>
                  {app.name}
                </a>
              </li>
            ))}
          </ul>
        )}
        <p class="field-hint">{t(lang, 'portal.home.certificateNeeded')}</p>
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
