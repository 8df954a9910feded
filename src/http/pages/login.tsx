import { t, type Lang } from '../i18n/index.ts';
import { tPlural } from '../i18n/plural.ts';
import { Layout, type PageProps } from './layout.tsx';
import { safeUrl, tRich } from './rich.tsx';
import { applicationLabel } from './application-label.ts';
import { PscButton } from './psc.tsx';

/** Form field names the login handler reads. */
export const LOGIN_FIELDS = { identifier: 'identifier', password: 'password', csrf: 'csrf', next: 'next' } as const;

export type LoginError = 'invalid_credentials' | 'session_expired';

export interface LoginPageProps extends PageProps {
  application: { name: string };
  /** personal: the certificate fixes the identifier; collective: the person types it. */
  mode: 'personal' | 'collective';
  /** personal: shown, read-only; collective: prefill after a failed attempt. */
  identifier?: string | undefined;
  /** personal mode with a CPS card rather than a platform certificate: the intro says so. */
  cpsCard?: boolean | undefined;
  csrfToken: string;
  action: string;
  next: string;
  error?: LoginError | null | undefined;
  remainingAttempts?: number | null | undefined;
  establishmentName?: string | null | undefined;
  machineLabel?: string | null | undefined;
  /** Portal page for journey 11; the link is omitted when absent. */
  forgotPasswordUrl?: string | undefined;
  /** Why the person is here rather than signed in (e.g. a spent single sign-on ticket); plain text. */
  notice?: string | null | undefined;
  /** lockout.maxFailures: told when the identifier is typed (no per-account count is revealed then). */
  lockoutThreshold?: number | undefined;
  /** The application also opens with Pro Santé Connect: its sign-in route (with `next`). */
  pscLoginUrl?: string | null | undefined;
}

const ERROR_ID = 'login-error';

/**
 * One wording for a failed sign-in wherever it happens: with the identifier fixed by a certificate, only the
 * password can be wrong and the tries left are counted; with a typed identifier (shared workstation, portal),
 * "identifiant ou mot de passe" and the general lockout rule — a per-account count would reveal accounts.
 */
function LoginAlert({ lang, error, remaining, personal, threshold }: { lang: Lang; error: LoginError; remaining?: number | null | undefined; personal: boolean; threshold?: number | undefined }) {
  const invalid = error === 'invalid_credentials';
  const warn = invalid && personal && remaining != null && remaining > 0;
  return (
    <div class="alert alert-error" role="alert" id={ERROR_ID}>
      <p>{t(lang, invalid && personal ? 'login.error.invalid_password' : `login.error.${error}`)}</p>
      {warn && (
        <p>
          {tPlural(lang, 'login.remaining', remaining)}
        </p>
      )}
      {invalid && !personal && threshold !== undefined && <p>{t(lang, 'login.lockoutWarning', { count: threshold })}</p>}
    </div>
  );
}

/** Identifier and machine of a shared workstation, so the person knows where they sign in. */
function Workstation({ lang, establishment, machine }: { lang: Lang; establishment?: string | null; machine?: string | null }) {
  if (!establishment && !machine) return null;
  return (
    <ul class="workstation">
      {establishment && <li>{t(lang, 'login.establishment', { name: establishment })}</li>}
      {machine && <li>{t(lang, 'login.machine', { label: machine })}</li>}
    </ul>
  );
}

/** Gateway sign-in (journey 8). The server never trusts the personal identifier field: it comes from the certificate. */
export function LoginPage(props: LoginPageProps) {
  const { lang, application, mode, identifier, error } = props;
  const personal = mode === 'personal';
  const badCredentials = error === 'invalid_credentials';
  const errorRef = error ? ERROR_ID : undefined;
  // Focus the first field still to fill: the password once the identifier is known.
  const focusPassword = personal || Boolean(identifier);
  const identifierHint = personal ? 'identifier-fixed-hint' : 'identifier-hint';
  const describe = (...ids: (string | undefined)[]) => ids.filter(Boolean).join(' ') || undefined;

  return (
    <Layout lang={lang} assetBase={props.assetBase} title={t(lang, 'login.title', { application: applicationLabel(lang, application.name) })} page="login">
      <p class="lead">
        {personal
          ? tRich(lang, props.cpsCard ? 'login.intro.cps' : 'login.intro.personal', {
              identifier: <strong class="identifier">{identifier}</strong>,
              application: applicationLabel(lang, application.name),
            })
          : t(lang, 'login.intro.collective')}
      </p>
      <Workstation lang={lang} establishment={props.establishmentName} machine={props.machineLabel} />
      {props.notice && (
        <div class="alert alert-info" role="status" id="login-notice">
          <p>{props.notice}</p>
        </div>
      )}
      {error && <LoginAlert lang={lang} error={error} remaining={props.remainingAttempts} personal={personal} threshold={props.lockoutThreshold} />}
      <form class="form" method="post" action={safeUrl(props.action)}>
        <input type="hidden" name={LOGIN_FIELDS.csrf} value={props.csrfToken} />
        <input type="hidden" name={LOGIN_FIELDS.next} value={props.next} />
        <div class="field">
          <label for="identifier">{t(lang, 'login.identifier')}</label>
          <p class="field-hint" id={identifierHint}>
            {t(lang, personal ? (props.cpsCard ? 'login.identifier.fixedHintCps' : 'login.identifier.fixedHint') : 'login.identifier.hint')}
          </p>
          <input
            id="identifier"
            name={LOGIN_FIELDS.identifier}
            type="text"
            value={identifier ?? ''}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            readOnly={personal}
            autoFocus={!focusPassword}
            aria-invalid={!personal && badCredentials ? 'true' : undefined}
            aria-describedby={describe(identifierHint, !personal && badCredentials ? errorRef : undefined)}
          />
        </div>
        <div class="field">
          <label for="password">{t(lang, 'login.password')}</label>
          <input
            id="password"
            name={LOGIN_FIELDS.password}
            type="password"
            autocomplete="current-password"
            required
            autoFocus={focusPassword}
            aria-invalid={badCredentials ? 'true' : undefined}
            aria-describedby={errorRef}
          />
        </div>
        <button class="button" type="submit">
          {t(lang, 'login.submit')}
        </button>
      </form>
      {props.forgotPasswordUrl && (
        <p class="secondary-action">
          <a href={safeUrl(props.forgotPasswordUrl)}>{t(lang, 'login.forgotPassword')}</a>
        </p>
      )}
      {props.pscLoginUrl && (
        <>
          <p class="separator">{t(lang, 'psc.or')}</p>
          <PscButton lang={lang} href={props.pscLoginUrl} />
        </>
      )}
    </Layout>
  );
}
