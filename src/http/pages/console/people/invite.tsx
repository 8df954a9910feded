import { t } from '../../../i18n/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import type { FieldError } from '../../../../portal/fields.ts';
import { CsrfField, ErrorSummary, SelectField, TextField, errorFor } from '../../portal/shell.tsx';
import { ActionError, type PeoplePageBase } from './parts.tsx';

export interface InvitePageProps extends PeoplePageBase {
  establishments: Array<{ id: string; name: string }>;
  values?: Record<string, string> | null;
  errors?: FieldError[] | null;
  /** A refusal not tied to one field (e.g. the address is already used). */
  error?: string | null;
  invitationDays: number;
  reminderDays: readonly number[];
}

/** /personnes/inviter: the cell creates an account; the person gets an invitation by mail. */
export function InvitePage(props: InvitePageProps) {
  const { lang } = props;
  const values = props.values ?? {};
  const errors = props.errors ?? [];
  const labels = {
    givenName: t(lang, 'people.field.givenName'),
    familyName: t(lang, 'people.field.familyName'),
    email: t(lang, 'people.field.email'),
    profession: t(lang, 'people.field.profession'),
    rpps: t(lang, 'people.field.rpps'),
    establishmentId: t(lang, 'people.field.establishment'),
    role: t(lang, 'people.field.role'),
    lang: t(lang, 'people.field.lang'),
  };
  return (
    <ConsoleLayout {...props} title={t(lang, 'people.invite.title')} page="console-people-invite" section="people">
      <p>
        <a href="/personnes">{t(lang, 'people.back')}</a>
      </p>
      <p class="lead">{t(lang, 'people.invite.lead', { days: props.invitationDays, reminders: props.reminderDays.join(', ') })}</p>
      <ActionError lang={lang} code={props.error} />
      <ErrorSummary lang={lang} errors={errors} labels={labels} />
      <form class="form" method="post" action="/personnes/inviter" noValidate>
        <CsrfField token={props.csrfToken} />
        <TextField lang={lang} name="givenName" label={labels.givenName} value={values.givenName} required maxLength={100} autocomplete="off" error={errorFor(errors, 'givenName')} />
        <TextField lang={lang} name="familyName" label={labels.familyName} value={values.familyName} required maxLength={100} autocomplete="off" error={errorFor(errors, 'familyName')} />
        <TextField lang={lang} name="email" type="email" label={labels.email} hint={t(lang, 'people.invite.emailHint')} value={values.email} required maxLength={254} autocomplete="off" spellcheck={false} error={errorFor(errors, 'email')} />
        <SelectField
          lang={lang}
          name="establishmentId"
          label={labels.establishmentId}
          value={values.establishmentId}
          placeholder={t(lang, 'people.field.noEstablishment')}
          options={props.establishments.map((e) => ({ value: e.id, label: e.name }))}
          error={errorFor(errors, 'establishmentId')}
        />
        <TextField lang={lang} name="profession" label={labels.profession} value={values.profession} maxLength={100} autocomplete="off" error={errorFor(errors, 'profession')} />
        <TextField lang={lang} name="rpps" label={labels.rpps} hint={t(lang, 'people.field.rppsHint')} value={values.rpps} maxLength={40} inputMode="numeric" autocomplete="off" error={errorFor(errors, 'rpps')} />
        <SelectField
          lang={lang}
          name="role"
          label={labels.role}
          required
          value={values.role ?? 'clinician'}
          placeholder={t(lang, 'people.field.choose')}
          options={[
            { value: 'clinician', label: t(lang, 'people.role.clinician') },
            { value: 'coordinator', label: t(lang, 'people.role.coordinator') },
          ]}
          error={errorFor(errors, 'role')}
        />
        <SelectField
          lang={lang}
          name="lang"
          label={labels.lang}
          required
          value={values.lang ?? 'fr'}
          placeholder={t(lang, 'people.field.choose')}
          options={[
            { value: 'fr', label: 'Français' },
            { value: 'en', label: 'English' },
          ]}
          error={errorFor(errors, 'lang')}
        />
        <button class="button" type="submit">
          {t(lang, 'people.invite.submit')}
        </button>
      </form>
    </ConsoleLayout>
  );
}
