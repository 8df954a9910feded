import { t } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';
import { safeUrl } from './rich.tsx';
import { applicationLabel } from './application-label.ts';

/** Field name of the CSRF token in the logout form (same as the login form). */
const LOGOUT_CSRF_FIELD = 'csrf';

export interface LoggedOutPageProps extends PageProps {
  applicationName: string;
  loginUrl: string;
  /** Still signed in (GET): offer a POST button instead of claiming the logout happened. */
  confirm?: { action: string; csrfToken: string } | null | undefined;
}

function LogoutConfirm({ lang, application, action, csrfToken }: { lang: PageProps['lang']; application: string; action: string; csrfToken: string }) {
  return (
    <>
      <p class="lead">{t(lang, 'logout.lead', { application })}</p>
      <form class="form" method="post" action={safeUrl(action)}>
        <input type="hidden" name={LOGOUT_CSRF_FIELD} value={csrfToken} />
        <button class="button" type="submit">
          {t(lang, 'logout.submit')}
        </button>
      </form>
    </>
  );
}

export function LoggedOutPage({ lang, assetBase, applicationName, loginUrl, confirm }: LoggedOutPageProps) {
  const application = applicationLabel(lang, applicationName);
  if (confirm) {
    return (
      <Layout lang={lang} assetBase={assetBase} title={t(lang, 'logout.title', { application })} page="logout-confirm">
        <LogoutConfirm lang={lang} application={application} action={confirm.action} csrfToken={confirm.csrfToken} />
      </Layout>
    );
  }
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'loggedOut.title')} page="logged-out">
      <p class="lead" role="status">
        {t(lang, 'loggedOut.lead', { application })}
      </p>
      <p>{t(lang, 'loggedOut.shared')}</p>
      <p>
        <a class="button" href={safeUrl(loginUrl)}>
          {t(lang, 'loggedOut.login', { application })}
        </a>
      </p>
    </Layout>
  );
}
