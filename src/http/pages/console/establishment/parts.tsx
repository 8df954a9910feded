import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import { ConsoleLayout } from '../layout.tsx';

/** The establishment administrator's sections (no regional queue, registry or token). */
export const ESTABLISHMENT_NAV: ReadonlyArray<{ href: string; key: MessageKey; section: string }> = [
  { href: '/personnes', key: 'services.nav.people', section: 'people' },
  { href: '/services', key: 'services.nav.services', section: 'services' },
  { href: '/postes', key: 'services.nav.workstations', section: 'workstations' },
  { href: '/validations', key: 'services.nav.approvals', section: 'approvals' },
  { href: '/journal', key: 'services.nav.audit', section: 'audit' },
];

export interface EstablishmentPageBase {
  lang: Lang;
  coordinator: { identifier: string };
  csrfToken: string;
  notice?: string | null;
  /** A refused action: its code and message. */
  error?: string | null;
  /** Set for an establishment administrator (their navigation), null for the cell. */
  establishment: { id: string; name: string } | null;
}

export function Shell(props: EstablishmentPageBase & { title: string; page: string; section: string; children: ComponentChildren }) {
  const { lang } = props;
  return (
    <ConsoleLayout {...props} nav={props.establishment ? ESTABLISHMENT_NAV : undefined}>
      <h1>{props.title}</h1>
      {props.establishment ? <p class="establishment-name">{t(lang, 'services.establishment', { name: props.establishment.name })}</p> : null}
      {props.error ? (
        <div class="alert alert-error" role="alert" data-error-code={props.error}>
          <p>{t(lang, 'services.error', { code: props.error })}</p>
        </div>
      ) : null}
      {props.children}
    </ConsoleLayout>
  );
}

/** A one-button POST form (with the CSRF token and optional hidden fields). */
export function PostButton(props: { action: string; csrfToken: string; label: string; danger?: boolean; fields?: Record<string, string> }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <input type="hidden" name="csrf" value={props.csrfToken} />
      {Object.entries(props.fields ?? {}).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <button class={props.danger ? 'button button-danger' : 'button button-secondary'} type="submit">
        {props.label}
      </button>
    </form>
  );
}

/** A POST form with one select (nothing rendered when there is nothing to choose). */
export function SelectForm(props: { action: string; csrfToken: string; id: string; name: string; label: string; submit: string; options: Array<{ value: string; label: string }> }) {
  if (props.options.length === 0) return null;
  return (
    <form method="post" action={props.action} class="inline-form">
      <input type="hidden" name="csrf" value={props.csrfToken} />
      <label for={props.id}>{props.label}</label>{' '}
      <select id={props.id} name={props.name}>
        {props.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>{' '}
      <button class="button" type="submit">
        {props.submit}
      </button>
    </form>
  );
}

export function TextField(props: { id: string; name: string; label: string; value?: string | null; required?: boolean; type?: 'text' | 'email'; hint?: string; max?: number }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      {props.hint ? (
        <p class="field-hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={props.id}
        name={props.name}
        {...(props.type === 'email' ? { type: 'email' as const } : { type: 'text' as const })}
        value={props.value ?? ''}
        required={props.required}
        maxLength={props.max ?? 200}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
    </div>
  );
}
