import type { ComponentChildren, InputHTMLAttributes } from 'preact';
import { t, type Lang } from '../../../i18n/index.ts';

/** What every registry page gets from the router (ConsoleLayout's shared props). */
export interface RegistryPageBase {
  lang: Lang;
  coordinator: { identifier: string };
  csrfToken: string;
  notice?: string | null;
}

/** A refused form field; the message is `registry.error.<code>`. */
export interface FieldProblem {
  field: string;
  code: FieldErrorCode;
}

export const FIELD_ERROR_CODES = [
  'missing_field',
  'field_too_long',
  'invalid_characters',
  'invalid_email',
  'invalid_finess',
  'finess_exists',
  'invalid_label',
  'invalid_reason',
  'invalid_query',
] as const;
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[number];

export function isFieldErrorCode(code: string): code is FieldErrorCode {
  return (FIELD_ERROR_CODES as readonly string[]).includes(code);
}

export const SUMMARY_ID = 'form-errors';

export function fieldId(name: string): string {
  return `f-${name}`;
}

/** Serials read better in pairs: 3f:a2:… */
export function groupSerial(serial: string): string {
  return serial.match(/.{1,2}/g)?.join(':') ?? serial;
}

/** In a table, groups of four that wrap at the spaces: 3fa2 91c0 … */
export function spacedSerial(serial: string): string {
  return serial.match(/.{1,4}/g)?.join(' ') ?? serial;
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** Every problem at the top of the form, each linking to its field; focused when shown. */
export function ErrorSummary({ lang, problems, labels }: { lang: Lang; problems: FieldProblem[]; labels: Record<string, string> }) {
  if (problems.length === 0) return null;
  return (
    <div class="alert alert-error error-summary" role="alert" id={SUMMARY_ID} tabIndex={-1} autoFocus>
      <h2>{t(lang, 'registry.errors.title')}</h2>
      <ul>
        {problems.map((p) => (
          <li key={p.field}>
            <a href={`#${fieldId(p.field)}`}>{labels[p.field] ? t(lang, 'registry.errors.item', { label: labels[p.field]!, message: t(lang, `registry.error.${p.code}`) }) : t(lang, `registry.error.${p.code}`)}</a>
          </li>
        ))}
      </ul>
    </div>
  );
}

interface FieldProps {
  lang: Lang;
  name: string;
  label: string;
  hint?: string | undefined;
  problem?: FieldProblem | undefined;
  required?: boolean;
  /** A filter: optional by nature, so not marked "optional". */
  filter?: boolean;
}

function describedBy(name: string, hint: string | undefined, problem: FieldProblem | undefined): string | undefined {
  const ids = [hint ? `${fieldId(name)}-hint` : null, problem ? `${fieldId(name)}-error` : null].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function Label({ lang, name, label, required, filter }: Pick<FieldProps, 'lang' | 'name' | 'label' | 'required' | 'filter'>) {
  return (
    <label for={fieldId(name)}>
      {label}
      {required || filter ? null : <span class="optional"> {t(lang, 'registry.form.optional')}</span>}
    </label>
  );
}

function HintAndError({ lang, name, hint, problem }: Pick<FieldProps, 'lang' | 'name' | 'hint' | 'problem'>) {
  return (
    <>
      {hint ? (
        <p class="field-hint" id={`${fieldId(name)}-hint`}>
          {hint}
        </p>
      ) : null}
      {problem ? (
        <p class="field-error" id={`${fieldId(name)}-error`}>
          {t(lang, `registry.error.${problem.code}`)}
        </p>
      ) : null}
    </>
  );
}

export function TextInput(props: FieldProps & { value?: string | null | undefined; type?: 'text' | 'email' | 'search' | 'date' | 'number'; maxLength?: number; min?: number; max?: number; inputMode?: 'numeric' | 'text' }) {
  const { lang, name, label, hint, problem, required } = props;
  return (
    <div class="field">
      <Label lang={lang} name={name} label={label} required={required} filter={props.filter} />
      <HintAndError lang={lang} name={name} hint={hint} problem={problem} />
      {/* preact types <input> per `type`; these attributes are valid for every type used here */}
      <input
        {...({
          id: fieldId(name),
          name,
          type: props.type ?? 'text',
          value: props.value ?? '',
          required: props.required,
          maxLength: props.maxLength,
          min: props.min,
          max: props.max,
          inputMode: props.inputMode,
          autocomplete: 'off',
          'aria-invalid': problem ? 'true' : undefined,
          'aria-describedby': describedBy(name, hint, problem),
        } as InputHTMLAttributes<HTMLInputElement>)}
      />
    </div>
  );
}

export function Select(props: FieldProps & { value?: string | null | undefined; options: Array<{ value: string; label: string }>; emptyLabel?: string }) {
  const { lang, name, label, hint, problem, required } = props;
  return (
    <div class="field">
      <Label lang={lang} name={name} label={label} required={required} filter={props.filter ?? true} />
      <HintAndError lang={lang} name={name} hint={hint} problem={problem} />
      <select id={fieldId(name)} name={name} aria-invalid={problem ? 'true' : undefined} aria-describedby={describedBy(name, hint, problem)}>
        {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
        {props.options.map((o) => (
          <option key={o.value} value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A definition list of label → value pairs (empty values shown as a dash). */
export function Details({ rows, testId }: { rows: Array<[label: string, value: ComponentChildren]>; testId?: string }) {
  return (
    <dl class="details" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** `path?filters&after=…`: the same filters, another page. */
export function withQuery(path: string, query: Record<string, string | number | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** Keyset pagination: back to the first page, or on to the next one. */
export function Pager({ lang, first, next, label }: { lang: Lang; first: string | null; next: string | null; label: string }) {
  if (!first && !next) return null;
  return (
    <nav class="registry-pager" aria-label={label}>
      <ul>
        {first ? (
          <li>
            <a href={first}>{t(lang, 'registry.pager.first')}</a>
          </li>
        ) : null}
        {next ? (
          <li>
            <a href={next} rel="next">
              {t(lang, 'registry.pager.next')}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/**
 * A table with a caption for screen readers, in a region that scrolls sideways on narrow
 * screens — focusable, so the keyboard can scroll it too.
 */
export function Table({ caption, testId, head, children }: { caption: string; testId: string; head: string[]; children: ComponentChildren }) {
  return (
    <div class="registry-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table class="table" data-testid={testId}>
        <caption class="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {head.map((h) => (
              <th scope="col" key={h}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
