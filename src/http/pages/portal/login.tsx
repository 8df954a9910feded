import { t } from '../../i18n/index.ts';
import { SupportContact, tRich } from '../rich.tsx';
import { Alert, CsrfField, PortalLayout, fieldId, type PortalPageProps } from './shell.tsx';
import { LegacyPortalLoginMessage, isLegacyPortalError, type LegacyPortalError } from '../legacy/portal.tsx';

export type PortalLoginError = 'invalid_credentials' | 'account_locked' | 'account_deactivated' | 'provisional_expired' | 'session_expired' | 'rate_limited' | LegacyPortalError;

export interface PortalLoginPageProps extends PortalPageProps {
  csrfToken: string;
  identifier?: string;
  error?: PortalLoginError | null;
  loggedOut?: boolean;
  next?: string;
  supportContact: string;
  lockoutThreshold: number;
  /** A legacy identifier was refused: which application it belongs to, and the person's identifier after cut-over. */
  legacy?: { applicationName: string; identifier: string | null } | null;
}

const ALERT_ID = 'login-alert';

/** Portal sign-in: identifier (prenom.nom, not the e-mail) and password. */
export function PortalLoginPage(props: PortalLoginPageProps) {
  const { lang, error } = props;
  const support = <SupportContact contact={props.supportContact} />;
  const invalid = error === 'invalid_credentials';
  return (
    <PortalLayout lang={lang} title={t(lang, 'portal.login.title')} page="portal-login" errorCode={error ?? undefined}>
      {props.loggedOut && (
        <div class="alert alert-success" role="status">
          <p>{t(lang, 'portal.login.loggedOut')}</p>
        </div>
      )}
      {error && (
        <Alert id={ALERT_ID}>
          {isLegacyPortalError(error) ? (
            <LegacyPortalLoginMessage lang={lang} error={error} identifier={props.legacy?.identifier ?? undefined} applicationName={props.legacy?.applicationName} supportContact={props.supportContact} />
          ) : (
            <p>{tRich(lang, `portal.login.error.${error}`, { support, forgot: <a href="/mot-de-passe-oublie">{t(lang, 'portal.login.forgotLink')}</a> })}</p>
          )}
          {invalid && <p>{t(lang, 'portal.login.lockoutWarning', { count: props.lockoutThreshold })}</p>}
        </Alert>
      )}
      <form class="form" method="post" action="/connexion">
        <CsrfField token={props.csrfToken} />
        {props.next && <input type="hidden" name="next" value={props.next} />}
        <div class="field">
          <label for={fieldId('identifier')}>{t(lang, 'portal.login.identifier')}</label>
          <p class="field-hint" id="identifier-hint">
            {t(lang, 'portal.login.identifierHint')}
          </p>
          <input
            id={fieldId('identifier')}
            name="identifier"
            type="text"
            value={props.identifier ?? ''}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
            autoFocus={!props.identifier}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby={['identifier-hint', invalid ? ALERT_ID : null].filter(Boolean).join(' ')}
          />
        </div>
        <div class="field">
          <label for={fieldId('password')}>{t(lang, 'portal.login.password')}</label>
          <p class="field-hint" id="password-hint">
            {t(lang, 'portal.login.passwordHint')}
          </p>
          <input
            id={fieldId('password')}
            name="password"
            type="password"
            autocomplete="current-password"
            required
            autoFocus={Boolean(props.identifier)}
            aria-invalid={invalid ? 'true' : undefined}
            aria-describedby={['password-hint', error ? ALERT_ID : null].filter(Boolean).join(' ')}
          />
        </div>
        <button class="button" type="submit">
          {t(lang, 'portal.login.submit')}
        </button>
      </form>
      <ul class="secondary-action">
        <li>
          <a href="/mot-de-passe-oublie">{t(lang, 'portal.login.forgot')}</a>
        </li>
        <li>
          <a href="/inscription">{t(lang, 'portal.login.register')}</a>
        </li>
      </ul>
    </PortalLayout>
  );
}
