import { t } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import { CheckboxField, CsrfField, ErrorSummary, PortalLayout, TextField, errorFor, type PortalPageProps } from './shell.tsx';
import { LastLogin } from './home.tsx';
import { PasswordRules } from './password-rules.tsx';

export type AccountForm = 'email' | 'notifications' | 'password';

export interface AccountPageProps extends PortalPageProps {
  csrfToken: string;
  details: { identifier: string; givenName: string; familyName: string; email: string; profession: string | null; rpps: string | null; notificationsOptIn: boolean };
  previousLogin: { at: number; ip: string | null } | null;
  /** The form that was sent and refused, with its problems. */
  failed?: { form: AccountForm; errors: FieldError[]; values?: Record<string, string> } | null;
  minLength: number;
  historySize: number;
}

/** My account: details, last login, e-mail change, notifications, password change. */
export function AccountPage(props: AccountPageProps) {
  const { lang, details, failed } = props;
  const errorsOf = (form: AccountForm) => (failed?.form === form ? failed.errors : []);
  const labels = {
    email: t(lang, 'portal.account.newEmail'),
    current: t(lang, 'portal.password.current'),
    password: t(lang, 'portal.password.new'),
    confirmation: t(lang, 'portal.password.confirmation'),
  };
  const rows: Array<[string, string]> = [
    [t(lang, 'portal.account.identifier'), details.identifier],
    [t(lang, 'portal.account.name'), `${details.givenName} ${details.familyName}`],
    [t(lang, 'portal.account.email'), details.email],
    [t(lang, 'portal.register.profession'), details.profession ?? '—'],
    [t(lang, 'portal.register.rpps'), details.rpps ?? '—'],
  ];
  return (
    <PortalLayout {...props} title={t(lang, 'portal.account.title')} page="portal-account">
      <LastLogin lang={lang} previous={props.previousLogin} />
      <section aria-labelledby="details-title">
        <h2 id="details-title">{t(lang, 'portal.account.details')}</h2>
        <dl class="details">
          {rows.map(([term, value]) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
        <p class="field-hint">{t(lang, 'portal.account.detailsHint')}</p>
      </section>

      <section aria-labelledby="email-title">
        <h2 id="email-title">{t(lang, 'portal.account.emailTitle')}</h2>
        <p>{t(lang, 'portal.account.emailLead')}</p>
        <ErrorSummary lang={lang} errors={errorsOf('email')} labels={labels} />
        <form class="form" method="post" action="/compte/email" noValidate>
          <CsrfField token={props.csrfToken} />
          <TextField lang={lang} name="email" type="email" label={labels.email} value={failed?.form === 'email' ? failed.values?.email : ''} required autocomplete="email" maxLength={254} spellcheck={false} error={errorFor(errorsOf('email'), 'email')} />
          <button class="button" type="submit">
            {t(lang, 'portal.account.emailSubmit')}
          </button>
        </form>
      </section>

      <section aria-labelledby="notifications-title">
        <h2 id="notifications-title">{t(lang, 'portal.account.notificationsTitle')}</h2>
        <form class="form" method="post" action="/compte/notifications">
          <CsrfField token={props.csrfToken} />
          <CheckboxField lang={lang} name="optIn" label={t(lang, 'portal.account.notificationsLabel')} hint={t(lang, 'portal.account.notificationsHint')} checked={details.notificationsOptIn} />
          <button class="button" type="submit">
            {t(lang, 'portal.account.notificationsSubmit')}
          </button>
        </form>
      </section>

      <section aria-labelledby="password-title">
        <h2 id="password-title">{t(lang, 'portal.account.passwordTitle')}</h2>
        <ErrorSummary lang={lang} errors={errorsOf('password')} labels={labels} />
        <form class="form" method="post" action="/compte/mot-de-passe" noValidate>
          <CsrfField token={props.csrfToken} />
          <input type="text" name="username" value={details.identifier} autocomplete="username" readOnly hidden />
          <TextField lang={lang} name="current" type="password" label={labels.current} required autocomplete="current-password" error={errorFor(errorsOf('password'), 'current')} />
          <PasswordRules lang={lang} minLength={props.minLength} historySize={props.historySize} />
          <TextField lang={lang} name="password" type="password" label={labels.password} hint={t(lang, 'portal.password.hint', { min: props.minLength })} required autocomplete="new-password" error={errorFor(errorsOf('password'), 'password')} />
          <TextField lang={lang} name="confirmation" type="password" label={labels.confirmation} required autocomplete="new-password" error={errorFor(errorsOf('password'), 'confirmation')} />
          <button class="button" type="submit">
            {t(lang, 'portal.account.passwordSubmit')}
          </button>
        </form>
      </section>
    </PortalLayout>
  );
}

export type EmailConfirmState = { state: 'ready'; newEmail: string; id: string; token: string; csrfToken: string } | { state: 'invalid' | 'expired' | 'used' } | { state: 'done'; newEmail: string };

/** The link from the confirmation mail: a button first (mail scanners follow links), then done. */
export function EmailConfirmPage(props: PortalPageProps & { confirm: EmailConfirmState }) {
  const { lang, confirm } = props;
  const failed = confirm.state === 'invalid' || confirm.state === 'expired' || confirm.state === 'used';
  return (
    <PortalLayout {...props} title={t(lang, 'portal.emailConfirm.title')} page="portal-email-confirm" errorCode={failed ? `email_change_${confirm.state}` : undefined}>
      {confirm.state === 'ready' && (
        <>
          <p class="lead">{t(lang, 'portal.emailConfirm.lead', { email: confirm.newEmail })}</p>
          <form class="form" method="post" action="/compte/email/confirmer">
            <CsrfField token={confirm.csrfToken} />
            <input type="hidden" name="id" value={confirm.id} />
            <input type="hidden" name="token" value={confirm.token} />
            <button class="button" type="submit">
              {t(lang, 'portal.emailConfirm.submit')}
            </button>
          </form>
        </>
      )}
      {confirm.state === 'done' && (
        <p class="lead" role="status">
          {t(lang, 'portal.emailConfirm.done', { email: confirm.newEmail })}
        </p>
      )}
      {failed && (
        <div class="alert alert-error" role="alert">
          <p>{t(lang, `portal.emailConfirm.${confirm.state}`)}</p>
        </div>
      )}
      <p>
        <a href="/compte">{t(lang, 'portal.emailConfirm.back')}</a>
      </p>
    </PortalLayout>
  );
}
