import { t } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import { SupportContact, tRich } from '../rich.tsx';
import { CsrfField, ErrorSummary, PortalLayout, TextField, errorFor, type PortalPageProps } from './shell.tsx';

export interface ForgotPasswordPageProps extends PortalPageProps {
  csrfToken: string;
  /** After a submission: the same answer whether or not an account matched. */
  sent?: boolean;
  values?: { identifier?: string; email?: string };
  errors?: FieldError[];
  supportContact: string;
}

export function ForgotPasswordPage(props: ForgotPasswordPageProps) {
  const { lang, values = {}, errors = [] } = props;
  const labels = { identifier: t(lang, 'portal.login.identifier'), email: t(lang, 'portal.forgot.email') };
  const support = <SupportContact contact={props.supportContact} />;
  return (
    <PortalLayout lang={lang} title={t(lang, 'portal.forgot.title')} page="portal-forgot-password">
      {props.sent ? (
        <div class="alert alert-success" role="status">
          <p>{t(lang, 'portal.forgot.sent')}</p>
          <p>{tRich(lang, 'portal.forgot.sentLocked', { support })}</p>
        </div>
      ) : (
        <p class="lead">{t(lang, 'portal.forgot.lead')}</p>
      )}
      <ErrorSummary lang={lang} errors={errors} labels={labels} />
      {!props.sent && (
        <form class="form" method="post" action="/mot-de-passe-oublie" noValidate>
          <CsrfField token={props.csrfToken} />
          <TextField lang={lang} name="identifier" label={labels.identifier} hint={t(lang, 'portal.login.identifierHint')} value={values.identifier} required autocomplete="username" maxLength={200} spellcheck={false} error={errorFor(errors, 'identifier')} />
          <TextField lang={lang} name="email" type="email" label={labels.email} hint={t(lang, 'portal.forgot.emailHint')} value={values.email} required autocomplete="email" maxLength={254} spellcheck={false} error={errorFor(errors, 'email')} />
          <button class="button" type="submit">
            {t(lang, 'portal.forgot.submit')}
          </button>
        </form>
      )}
      <p class="secondary-action">
        <a href="/connexion">{t(lang, 'portal.forgot.backToLogin')}</a>
      </p>
    </PortalLayout>
  );
}
