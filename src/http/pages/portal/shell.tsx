import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { t, type Lang } from '../../i18n/index.ts';
import { tPlural } from '../../i18n/plural.ts';
import { Layout } from '../layout.tsx';
import { tRich } from '../rich.tsx';
import { currentSite } from '../../site.ts';
import type { FieldError } from '../../../portal/fields.ts';

/** The public listener serves the stylesheet under /assets. */
export const PORTAL_ASSETS = '/assets';

/** Who is signed in, as the navigation shows it. */
export interface PortalUser {
  identifier: string;
  givenName: string;
  familyName: string;
  /** Provisional: only the first-login page and logout are offered. */
  provisional: boolean;
}

/** Short confirmations shown after a redirect (`?ok=…`). */
export const NOTICES = [
  'activated',
  'password_changed',
  'email_change_sent',
  'email_changed',
  'notifications_saved',
  'certificate_requested',
  'certificate_revoked',
  'access_requested',
] as const;
export type Notice = (typeof NOTICES)[number];

export interface PortalPageProps {
  lang: Lang;
  user?: PortalUser | null | undefined;
  /** Needed whenever a user is shown: the logout button is a form. */
  csrfToken?: string | undefined;
  notice?: Notice | null | undefined;
}

const NAV = [
  { href: '/', key: 'portal.nav.home', page: 'portal-home' },
  { href: '/certificats', key: 'portal.nav.certificates', page: 'portal-certificates' },
  { href: '/applications', key: 'portal.nav.applications', page: 'portal-applications' },
  { href: '/compte', key: 'portal.nav.account', page: 'portal-account' },
] as const;

function PortalNav({ lang, user, csrfToken, current }: { lang: Lang; user: PortalUser; csrfToken: string; current: string }) {
  return (
    <nav class="portal-nav" aria-label={t(lang, 'portal.nav.label')}>
      {!user.provisional && (
        <ul>
          {NAV.map((item) => (
            <li key={item.href}>
              <a href={item.href} aria-current={item.page === current ? 'page' : undefined}>
                {t(lang, item.key)}
              </a>
            </li>
          ))}
        </ul>
      )}
      <form class="portal-logout" method="post" action="/deconnexion">
        <span class="muted">{t(lang, 'portal.nav.signedInAs', { identifier: user.identifier })}</span>{' '}
        <input type="hidden" name="csrf" value={csrfToken} />
        <button class="button button-secondary" type="submit">
          {t(lang, 'portal.nav.logout')}
        </button>
      </form>
    </nav>
  );
}

/** Every portal page: the shared layout, the portal navigation when signed in, a notice. */
export function PortalLayout(props: PortalPageProps & { title: string; page: string; errorCode?: string | undefined; children: ComponentChildren }) {
  const { lang, user, csrfToken, notice, title, page, errorCode, children } = props;
  return (
    <Layout lang={lang} assetBase={PORTAL_ASSETS} title={title} page={page} errorCode={errorCode}>
      {user && csrfToken && <PortalNav lang={lang} user={user} csrfToken={csrfToken} current={page} />}
      {notice && (
        <div class="alert alert-success" role="status">
          <p>{t(lang, `portal.notice.${notice}`)}</p>
        </div>
      )}
      {children}
      {user && <IdleWarning lang={lang} />}
    </Layout>
  );
}

/** Where the idle warning's "Rester connecté" goes: any signed-in request counts as activity. */
export const KEEPALIVE_PATH = '/compte/session';

/** Shown by idle.bundle.js a few minutes before the idle logout (src/browser/idle.ts). */
function IdleWarning({ lang }: { lang: Lang }) {
  const { idleMinutes } = currentSite();
  const warn = Math.min(5, Math.max(1, Math.floor(idleMinutes / 3)));
  return (
    <>
      <div
        id="idle-warning"
        class="alert idle-warning"
        role="alertdialog"
        aria-labelledby="idle-warning-title"
        aria-describedby="idle-warning-text"
        hidden
        data-idle-minutes={String(idleMinutes)}
        data-warn-minutes={String(warn)}
        data-keepalive-url={KEEPALIVE_PATH}
        data-expired-url="/connexion?expired=1"
      >
        <h2 id="idle-warning-title">{t(lang, 'portal.idle.title')}</h2>
        <p id="idle-warning-text">{tRich(lang, 'portal.idle.text', { minutes: <strong data-countdown>{warn}</strong>, idle: String(idleMinutes) })}</p>
        <button id="idle-stay" class="button" type="button">
          {t(lang, 'portal.idle.stay')}
        </button>
      </div>
      <script src={`${PORTAL_ASSETS}/idle.bundle.js`} defer></script>
    </>
  );
}

export const SUMMARY_ID = 'form-errors';

export function fieldId(name: string): string {
  return `f-${name}`;
}

export function errorMessage(lang: Lang, error: FieldError): string {
  return t(lang, `portal.error.${error.code}`);
}

/**
 * Lists every problem at the top of the form (role=alert, focused on load) with a link to
 * each field; each invalid field points back here and to its own message (aria-describedby).
 */
export function ErrorSummary({ lang, errors, labels }: { lang: Lang; errors: FieldError[]; labels: Record<string, string> }) {
  if (errors.length === 0) return null;
  return (
    <div class="alert alert-error error-summary" role="alert" id={SUMMARY_ID} tabIndex={-1} autoFocus>
      <h2>{tPlural(lang, 'portal.errors', errors.length)}</h2>
      <ul>
        {errors.map((error) => (
          <li key={error.field}>
            <a href={`#${fieldId(error.field)}`}>
              {labels[error.field] ? t(lang, 'portal.errors.item', { label: labels[error.field]!, message: errorMessage(lang, error) }) : errorMessage(lang, error)}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A plain alert (not tied to a field): refused login, expired link… */
export function Alert({ children, id }: { children: ComponentChildren; id?: string }) {
  return (
    <div class="alert alert-error" role="alert" id={id}>
      {children}
    </div>
  );
}

interface FieldBase {
  lang: Lang;
  name: string;
  label: string;
  hint?: string | undefined;
  error?: FieldError | undefined;
  required?: boolean | undefined;
}

function describedBy(name: string, hint: string | undefined, error: FieldError | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, error ? `${fieldId(name)}-error` : null, error ? SUMMARY_ID : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Label({ lang, name, label, required }: { lang: Lang; name: string; label: string; required?: boolean | undefined }) {
  return (
    <label for={fieldId(name)}>
      {label}
      {required ? '' : <span class="optional"> {t(lang, 'portal.form.optional')}</span>}
    </label>
  );
}

function HintAndError({ lang, name, hint, error }: Pick<FieldBase, 'lang' | 'name' | 'hint' | 'error'>) {
  return (
    <>
      {hint && (
        <p class="field-hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${fieldId(name)}-error`}>
          {errorMessage(lang, error)}
        </p>
      )}
    </>
  );
}

export function TextField(props: FieldBase & { value?: string | null | undefined; type?: 'text' | 'email' | 'password'; autocomplete?: string; maxLength?: number; inputMode?: 'numeric' | 'text' | 'email'; spellcheck?: boolean }) {
  const { lang, name, label, hint, error, required } = props;
  return (
    <div class="field">
      <Label lang={lang} name={name} label={label} required={required} />
      <HintAndError lang={lang} name={name} hint={hint} error={error} />
      {/* preact types <input> per `type`; the attributes are valid for text, email and password alike */}
      <input
        {...({
          id: fieldId(name),
          name,
          type: props.type ?? 'text',
          value: props.type === 'password' ? undefined : (props.value ?? ''),
          required,
          autocomplete: props.autocomplete,
          maxLength: props.maxLength,
          inputMode: props.inputMode,
          spellcheck: props.spellcheck,
          'aria-invalid': error ? 'true' : undefined,
          'aria-describedby': describedBy(name, hint, error),
        } as InputHTMLAttributes<HTMLInputElement>)}
      />
    </div>
  );
}

export function TextArea(props: FieldBase & { value?: string | null | undefined; maxLength?: number; rows?: number }) {
  const { lang, name, label, hint, error, required } = props;
  return (
    <div class="field">
      <Label lang={lang} name={name} label={label} required={required} />
      <HintAndError lang={lang} name={name} hint={hint} error={error} />
      <textarea
        id={fieldId(name)}
        name={name}
        rows={props.rows ?? 4}
        required={required}
        maxLength={props.maxLength}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      >
        {props.value ?? ''}
      </textarea>
    </div>
  );
}

export function SelectField(props: FieldBase & { value?: string | null | undefined; options: Array<{ value: string; label: string }>; placeholder: string }) {
  const { lang, name, label, hint, error, required } = props;
  return (
    <div class="field">
      <Label lang={lang} name={name} label={label} required={required} />
      <HintAndError lang={lang} name={name} hint={hint} error={error} />
      <select id={fieldId(name)} name={name} required={required} aria-invalid={error ? 'true' : undefined} aria-describedby={describedBy(name, hint, error)}>
        <option value="">{props.placeholder}</option>
        {props.options.map((option) => (
          <option key={option.value} value={option.value} selected={option.value === props.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function CheckboxField(props: FieldBase & { checked?: boolean; children?: ComponentChildren }) {
  const { lang, name, label, hint, error, required } = props;
  return (
    <div class="field field-checkbox">
      <input
        id={fieldId(name)}
        name={name}
        type="checkbox"
        value="yes"
        checked={props.checked}
        required={required}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(name, hint, error)}
      />
      <label for={fieldId(name)}>{props.children ?? label}</label>
      <HintAndError lang={lang} name={name} hint={hint} error={error} />
    </div>
  );
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** The error of one field, if any. */
export function errorFor(errors: FieldError[] | undefined, name: string): FieldError | undefined {
  return errors?.find((e) => e.field === name);
}

