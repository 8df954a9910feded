import { t } from '../../i18n/index.ts';
import type { FieldError } from '../../../portal/fields.ts';
import { OTHER_ESTABLISHMENT } from '../../../portal/registration.ts';
import type { CardReadFailure } from '../../../cps/registration.ts';
import type { Lang, MessageKey } from '../../i18n/index.ts';
import { RegistrationDataNotice } from '../site-info.tsx';
import { CsrfField, ErrorSummary, PortalLayout, SelectField, TextArea, TextField, errorFor, type PortalPageProps } from './shell.tsx';

export interface RegistrationPageProps extends PortalPageProps {
  csrfToken: string;
  establishments: Array<{ id: string; name: string }>;
  applications: Array<{ id: string; name: string }>;
  values?: Record<string, string>;
  errors?: FieldError[];
  /** CPS cards enabled: where the card is read, and what the last read gave. */
  cps?: { readUrl: string; outcome: 'prefilled' | CardReadFailure | null } | null;
}

const CARD_READ_MESSAGES: Record<CardReadFailure, MessageKey> = {
  absente: 'portal.register.cps.absent',
  'non-reconnue': 'portal.register.cps.untrusted',
  'non-cps': 'portal.register.cps.notCps',
  expiree: 'portal.register.cps.expired',
  revoquee: 'portal.register.cps.revoked',
  'sans-identifiant': 'portal.register.cps.noNationalId',
};

/** "Read my CPS card" (on the gateway's registration host), and the outcome of the last read. */
function CpsPrefill({ lang, readUrl, outcome }: { lang: Lang; readUrl: string; outcome: 'prefilled' | CardReadFailure | null }) {
  return (
    <section class="cps-prefill" aria-labelledby="cps-title">
      <h2 id="cps-title">{t(lang, 'portal.register.cps.title')}</h2>
      {outcome === 'prefilled' && (
        <div class="alert alert-success" role="status">
          <p>{t(lang, 'portal.register.cps.prefilled')}</p>
        </div>
      )}
      {outcome && outcome !== 'prefilled' && (
        <div class="alert" role="status" data-cps-outcome={outcome}>
          <p>{t(lang, CARD_READ_MESSAGES[outcome])}</p>
        </div>
      )}
      <p>
        <a href={readUrl}>{t(lang, 'portal.register.cps.read')}</a>
      </p>
      <p class="field-hint">{t(lang, 'portal.register.cps.readHint')}</p>
    </section>
  );
}

/** Journey 1: the public registration form. Nothing exists until the cell approves. */
export function RegistrationPage(props: RegistrationPageProps) {
  const { lang, values = {}, errors = [] } = props;
  const label = {
    givenName: t(lang, 'portal.register.givenName'),
    familyName: t(lang, 'portal.register.familyName'),
    email: t(lang, 'portal.register.email'),
    profession: t(lang, 'portal.register.profession'),
    rpps: t(lang, 'portal.register.rpps'),
    establishment: t(lang, 'portal.register.establishment'),
    establishmentName: t(lang, 'portal.register.establishmentName'),
    reason: t(lang, 'portal.register.reason'),
    application: t(lang, 'portal.register.application'),
  };
  return (
    <PortalLayout lang={lang} title={t(lang, 'portal.register.title')} page="portal-register">
      <p class="lead">{t(lang, 'portal.register.lead')}</p>
      <p>{t(lang, 'portal.register.required')}</p>
      {props.cps && <CpsPrefill lang={lang} readUrl={props.cps.readUrl} outcome={props.cps.outcome} />}
      <ErrorSummary lang={lang} errors={errors} labels={label} />
      <form class="form" method="post" action="/inscription" noValidate>
        <CsrfField token={props.csrfToken} />
        <fieldset>
          <legend>{t(lang, 'portal.register.identity')}</legend>
          <TextField lang={lang} name="givenName" label={label.givenName} value={values.givenName} required autocomplete="given-name" maxLength={100} error={errorFor(errors, 'givenName')} />
          <TextField lang={lang} name="familyName" label={label.familyName} value={values.familyName} required autocomplete="family-name" maxLength={100} error={errorFor(errors, 'familyName')} />
          <TextField
            lang={lang}
            name="email"
            type="email"
            label={label.email}
            hint={t(lang, 'portal.register.emailHint')}
            value={values.email}
            required
            autocomplete="email"
            maxLength={254}
            spellcheck={false}
            error={errorFor(errors, 'email')}
          />
          <TextField lang={lang} name="profession" label={label.profession} hint={t(lang, 'portal.register.professionHint')} value={values.profession} autocomplete="organization-title" maxLength={100} error={errorFor(errors, 'profession')} />
          <TextField lang={lang} name="rpps" label={label.rpps} hint={t(lang, 'portal.register.rppsHint')} value={values.rpps} inputMode="numeric" maxLength={40} error={errorFor(errors, 'rpps')} />
        </fieldset>
        <fieldset>
          <legend>{t(lang, 'portal.register.work')}</legend>
          <SelectField
            lang={lang}
            name="establishment"
            label={label.establishment}
            placeholder={t(lang, 'portal.form.choose')}
            options={[...props.establishments.map((e) => ({ value: e.id, label: e.name })), { value: OTHER_ESTABLISHMENT, label: t(lang, 'portal.register.establishmentOther') }]}
            value={values.establishment}
            required
            error={errorFor(errors, 'establishment')}
          />
          <TextField
            lang={lang}
            name="establishmentName"
            label={label.establishmentName}
            hint={t(lang, 'portal.register.establishmentNameHint')}
            value={values.establishmentName}
            maxLength={200}
            error={errorFor(errors, 'establishmentName')}
          />
          {props.applications.length > 0 && (
            <SelectField
              lang={lang}
              name="application"
              label={label.application}
              placeholder={t(lang, 'portal.form.choose')}
              options={props.applications.map((a) => ({ value: a.id, label: a.name }))}
              value={values.application}
              required
              error={errorFor(errors, 'application')}
            />
          )}
          <TextArea lang={lang} name="reason" label={label.reason} hint={t(lang, 'portal.register.reasonHint')} value={values.reason} required maxLength={1000} error={errorFor(errors, 'reason')} />
        </fieldset>
        <RegistrationDataNotice lang={lang} />
        <button class="button" type="submit">
          {t(lang, 'portal.register.submit')}
        </button>
      </form>
      <p class="secondary-action">
        <a href="/connexion">{t(lang, 'portal.register.haveAccount')}</a>
      </p>
    </PortalLayout>
  );
}

/** After a registration: what happens next, and that nothing exists yet. */
export function RegistrationDonePage({ lang }: PortalPageProps) {
  return (
    <PortalLayout lang={lang} title={t(lang, 'portal.registered.title')} page="portal-registered">
      <p class="lead" role="status">
        {t(lang, 'portal.registered.lead')}
      </p>
      <ol class="steps">
        <li>{t(lang, 'portal.registered.step1')}</li>
        <li>{t(lang, 'portal.registered.step2')}</li>
        <li>{t(lang, 'portal.registered.step3')}</li>
      </ol>
      <p>{t(lang, 'portal.registered.nothingYet')}</p>
      <p>
        <a href="/">{t(lang, 'portal.backHome')}</a>
      </p>
    </PortalLayout>
  );
}
