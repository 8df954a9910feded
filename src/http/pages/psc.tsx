import { t, type Lang } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';
import { safeUrl } from './rich.tsx';

/** The "Se connecter avec Pro Santé Connect" button: a plain link to our /login route (which redirects to the provider). */
export function PscButton({ lang, href }: { lang: Lang; href: string }) {
  return (
    <p class="psc-sign-in">
      <a class="button button-psc" href={safeUrl(href)} data-psc-login="">
        {t(lang, 'psc.button')}
      </a>
    </p>
  );
}

export interface PscSignInPageProps extends PageProps {
  applicationName: string;
  loginUrl: string;
  /** The application also opens with a certificate: say how to get that way in. */
  certificateAllowed: boolean;
  expired?: boolean;
}

/** An application host reached with no certificate and no session, where Pro Santé Connect opens the application. */
export function PscSignInPage(props: PscSignInPageProps) {
  const { lang } = props;
  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'psc.signin.title', { application: props.applicationName })} page="psc-sign-in">
      {props.expired && (
        <div class="alert alert-info" role="status">
          <p>{t(lang, 'psc.signin.expired')}</p>
        </div>
      )}
      <p class="lead">{t(lang, 'psc.signin.lead')}</p>
      <PscButton lang={lang} href={props.loginUrl} />
      <p>{t(lang, props.certificateAllowed ? 'psc.signin.certificate' : 'psc.signin.noCertificate')}</p>
    </Layout>
  );
}

export type PscFailedKind = 'invalid' | 'unavailable' | 'acr';

/** A callback that could not be verified (tampered state or nonce, expired flow, provider error): nothing opened. */
export function PscFailedPage(props: PageProps & { retryUrl: string; reason: string; kind: PscFailedKind }) {
  const { lang } = props;
  const detail = props.kind === 'unavailable' ? 'psc.failed.unavailable' : props.kind === 'acr' ? 'psc.failed.acr' : 'psc.failed.lead';
  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'psc.failed.title')} page="psc-failed" errorCode={props.reason}>
      <p class="lead">{t(lang, detail)}</p>
      <p>
        <a class="button" href={safeUrl(props.retryUrl)}>
          {t(lang, 'psc.failed.retry')}
        </a>
      </p>
    </Layout>
  );
}

export interface PscUnknownPageProps extends PageProps {
  name: string;
  rpps: string;
  /** The public registration form with the encrypted prefill; null when several accounts carry the RPPS. */
  registrationUrl: string | null;
  supportContact: string;
}

/** A professional Pro Santé Connect knows and the platform does not: the way to register, prefilled. */
export function PscUnknownPage(props: PscUnknownPageProps) {
  const { lang } = props;
  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'psc.unknown.title')} page="psc-unknown" errorCode={props.registrationUrl ? 'psc_unknown_professional' : 'psc_ambiguous_professional'}>
      {props.registrationUrl ? (
        <>
          <p class="lead">{t(lang, 'psc.unknown.lead', { name: props.name, rpps: props.rpps })}</p>
          <p>
            <a class="button" href={safeUrl(props.registrationUrl)} data-psc-register="">
              {t(lang, 'psc.unknown.register')}
            </a>
          </p>
          <p>{t(lang, 'psc.unknown.existing', { support: props.supportContact })}</p>
        </>
      ) : (
        <p class="lead">{t(lang, 'psc.ambiguous.lead', { support: props.supportContact })}</p>
      )}
    </Layout>
  );
}

export interface PscPasswordPageProps extends PageProps {
  applicationName: string;
  identifier: string;
  action: string;
  csrfToken: string;
  next: string;
  invalid: boolean;
}

/** `signIn.passwordAfterPsc`: the account password, after Pro Santé Connect. */
export function PscPasswordPage(props: PscPasswordPageProps) {
  const { lang } = props;
  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'psc.password.title')} page="psc-password">
      <p class="lead">{t(lang, 'psc.password.lead', { identifier: props.identifier, application: props.applicationName })}</p>
      {props.invalid && (
        <div class="alert alert-error" role="alert" id="login-error">
          <p>{t(lang, 'psc.password.invalid')}</p>
        </div>
      )}
      <form class="form" method="post" action={safeUrl(props.action)}>
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <input type="hidden" name="next" value={props.next} />
        <div class="field">
          <label for="password">{t(lang, 'login.password')}</label>
          <input id="password" name="password" type="password" autocomplete="current-password" required autoFocus aria-invalid={props.invalid ? 'true' : undefined} />
        </div>
        <button class="button" type="submit">
          {t(lang, 'psc.password.submit')}
        </button>
      </form>
    </Layout>
  );
}
