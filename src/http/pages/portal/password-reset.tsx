import { t } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import type { ResetLinkProblem } from '../../../portal/password-reset.ts';
import { PasswordRules } from './password-rules.tsx';
import { SupportContact, tRich } from '../rich.tsx';
import { CsrfField, ErrorSummary, PortalLayout, TextField, errorFor, type PortalPageProps } from './shell.tsx';

export type PasswordResetState =
  | { state: 'ready'; identifier: string; token: string; csrfToken: string; errors?: FieldError[] }
  | { state: 'done' }
  | { state: ResetLinkProblem; supportContact: string };

export interface PasswordResetPageProps extends PortalPageProps {
  reset: PasswordResetState;
  minLength: number;
  historySize: number;
}

/**
 * The link from the forgotten-password mail: the new password twice (opening the link spends
 * nothing, mail scanners follow links), then done; or why the link no longer works
 * (`data-error-code` `reset_<reason>`).
 */
export function PasswordResetPage(props: PasswordResetPageProps) {
  const { lang, reset } = props;
  const labels = { password: t(lang, 'portal.password.new'), confirmation: t(lang, 'portal.password.confirmation') };
  const failed = reset.state !== 'ready' && reset.state !== 'done';
  return (
    <PortalLayout {...props} title={t(lang, 'portal.reset.title')} page="portal-password-reset" errorCode={failed ? `reset_${reset.state}` : undefined}>
      {reset.state === 'ready' && (
        <>
          <p class="lead">{t(lang, 'portal.reset.lead', { identifier: reset.identifier })}</p>
          <ErrorSummary lang={lang} errors={reset.errors ?? []} labels={labels} />
          <form class="form" method="post" action="/mot-de-passe-oublie/choisir" noValidate>
            <CsrfField token={reset.csrfToken} />
            <input type="hidden" name="token" value={reset.token} />
            <input type="text" name="username" value={reset.identifier} autocomplete="username" readOnly hidden />
            <PasswordRules lang={lang} minLength={props.minLength} historySize={props.historySize} />
            <TextField lang={lang} name="password" type="password" label={labels.password} hint={t(lang, 'portal.password.hint', { min: props.minLength })} required autocomplete="new-password" error={errorFor(reset.errors, 'password')} />
            <TextField lang={lang} name="confirmation" type="password" label={labels.confirmation} required autocomplete="new-password" error={errorFor(reset.errors, 'confirmation')} />
            <button class="button" type="submit">
              {t(lang, 'portal.reset.submit')}
            </button>
          </form>
        </>
      )}
      {reset.state === 'done' && (
        <>
          <div class="alert alert-success" role="status">
            <p>{t(lang, 'portal.reset.done')}</p>
          </div>
          <p>
            <a class="button" href="/connexion">
              {t(lang, 'portal.reset.login')}
            </a>
          </p>
        </>
      )}
      {failed && (
        <>
          <div class="alert alert-error" role="alert">
            <p>{reset.state === 'account_unavailable' ? tRich(lang, 'portal.reset.account_unavailable', { support: <SupportContact contact={reset.supportContact} /> }) : t(lang, `portal.reset.${reset.state}`)}</p>
          </div>
          <p>
            <a href="/mot-de-passe-oublie">{t(lang, 'portal.reset.again')}</a>
          </p>
        </>
      )}
    </PortalLayout>
  );
}
