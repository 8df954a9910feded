import { t } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import { tRich } from '../rich.tsx';
import { CheckboxField, CsrfField, ErrorSummary, PortalLayout, TextField, errorFor, type PortalPageProps } from './shell.tsx';
import { PasswordRules } from './password-rules.tsx';

export interface FirstLoginPageProps extends PortalPageProps {
  csrfToken: string;
  identifier: string;
  values: { givenName: string; familyName: string; profession: string; rpps: string; acceptTerms?: boolean };
  errors?: FieldError[];
  minLength: number;
  historySize: number;
  termsUrl: string;
  /** Active before (unlock, reset): a new password only — no welcome, no details, no terms again. */
  returning?: boolean;
}

/** Journey 3: choose a password, confirm the details, accept the terms → account active. */
export function FirstLoginPage(props: FirstLoginPageProps) {
  const { lang, values, errors = [] } = props;
  const label = {
    password: t(lang, 'portal.password.new'),
    confirmation: t(lang, 'portal.password.confirmation'),
    givenName: t(lang, 'portal.register.givenName'),
    familyName: t(lang, 'portal.register.familyName'),
    profession: t(lang, 'portal.register.profession'),
    rpps: t(lang, 'portal.register.rpps'),
    acceptTerms: t(lang, 'portal.firstLogin.terms'),
  };
  if (props.returning) return <NewPasswordPage {...props} />;
  return (
    <PortalLayout {...props} title={t(lang, 'portal.firstLogin.title')} page="portal-first-login">
      <p class="lead">{t(lang, 'portal.firstLogin.lead', { identifier: props.identifier })}</p>
      <ErrorSummary lang={lang} errors={errors} labels={label} />
      <form class="form" method="post" action="/premiere-connexion" noValidate>
        <CsrfField token={props.csrfToken} />
        <fieldset>
          <legend>{t(lang, 'portal.firstLogin.passwordLegend')}</legend>
          {/* Lets password managers file the new password under the right account. */}
          <input type="text" name="username" value={props.identifier} autocomplete="username" readOnly hidden />
          <PasswordRules lang={lang} minLength={props.minLength} historySize={props.historySize} />
          <TextField lang={lang} name="password" type="password" label={label.password} hint={t(lang, 'portal.password.hint', { min: props.minLength })} required autocomplete="new-password" error={errorFor(errors, 'password')} />
          <TextField lang={lang} name="confirmation" type="password" label={label.confirmation} required autocomplete="new-password" error={errorFor(errors, 'confirmation')} />
        </fieldset>
        <fieldset>
          <legend>{t(lang, 'portal.firstLogin.detailsLegend')}</legend>
          <TextField lang={lang} name="givenName" label={label.givenName} value={values.givenName} required autocomplete="given-name" maxLength={100} error={errorFor(errors, 'givenName')} />
          <TextField lang={lang} name="familyName" label={label.familyName} value={values.familyName} required autocomplete="family-name" maxLength={100} error={errorFor(errors, 'familyName')} />
          <TextField lang={lang} name="profession" label={label.profession} value={values.profession} autocomplete="organization-title" maxLength={100} error={errorFor(errors, 'profession')} />
          <TextField lang={lang} name="rpps" label={label.rpps} hint={t(lang, 'portal.register.rppsHint')} value={values.rpps} inputMode="numeric" maxLength={40} error={errorFor(errors, 'rpps')} />
        </fieldset>
        <CheckboxField lang={lang} name="acceptTerms" label={label.acceptTerms} required checked={values.acceptTerms} error={errorFor(errors, 'acceptTerms')}>
          {tRich(lang, 'portal.firstLogin.termsLabel', { terms: <a href={props.termsUrl}>{t(lang, 'portal.terms.title')}</a> })}
        </CheckboxField>
        <button class="button" type="submit">
          {t(lang, 'portal.firstLogin.submit')}
        </button>
      </form>
    </PortalLayout>
  );
}

/** After an unlock or a reset: the provisional password mailed is replaced, nothing else is asked. */
function NewPasswordPage(props: FirstLoginPageProps) {
  const { lang, errors = [] } = props;
  const label = { password: t(lang, 'portal.password.new'), confirmation: t(lang, 'portal.password.confirmation') };
  return (
    <PortalLayout {...props} title={t(lang, 'portal.returning.title')} page="portal-first-login">
      <p class="lead">{t(lang, 'portal.returning.lead', { identifier: props.identifier })}</p>
      <ErrorSummary lang={lang} errors={errors} labels={label} />
      <form class="form" method="post" action="/premiere-connexion" noValidate>
        <CsrfField token={props.csrfToken} />
        <input type="text" name="username" value={props.identifier} autocomplete="username" readOnly hidden />
        <PasswordRules lang={lang} minLength={props.minLength} historySize={props.historySize} />
        <TextField lang={lang} name="password" type="password" label={label.password} hint={t(lang, 'portal.password.hint', { min: props.minLength })} required autocomplete="new-password" error={errorFor(errors, 'password')} />
        <TextField lang={lang} name="confirmation" type="password" label={label.confirmation} required autocomplete="new-password" error={errorFor(errors, 'confirmation')} />
        <button class="button" type="submit">
          {t(lang, 'portal.returning.submit')}
        </button>
      </form>
    </PortalLayout>
  );
}
