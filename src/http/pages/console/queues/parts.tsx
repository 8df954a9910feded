import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import { formatDate } from '../../../../shared/time.ts';

/** Error codes of console actions that have their own sentence; others show the generic one with the code. */
const KNOWN_ERRORS = [
  'already_decided',
  'reason_required',
  'reason_too_long',
  'invalid_characters',
  'approval_pending',
  'approval_not_pending',
  'four_eyes_same_coordinator',
  'account_deactivated',
  'already_withdrawn',
  'not_approved',
  'not_found',
] as const;

export function errorText(lang: Lang, code: string): string {
  return (KNOWN_ERRORS as readonly string[]).includes(code) ? t(lang, `console.error.${code}` as MessageKey) : t(lang, 'console.error.generic', { code });
}

/** A refused action, announced at once (role=alert), with the stable code for tests and support. */
export function ActionError({ lang, code }: { lang: Lang; code: string | null | undefined }) {
  if (!code) return null;
  return (
    <div class="alert alert-error" role="alert" data-error-code={code}>
      <p>
        <strong>{t(lang, 'console.error.title')}</strong>
      </p>
      <p>{errorText(lang, code)}</p>
    </div>
  );
}

export function Csrf({ token }: { token: string }) {
  return <input type="hidden" name="csrf" value={token} />;
}

/** `?status=` as a small GET form: works without script, reads well to screen readers. */
export function StatusFilter<S extends string>({ lang, action, statuses, current, labels }: { lang: Lang; action: string; statuses: readonly S[]; current: S | 'all'; labels: (s: S | 'all') => string }) {
  return (
    <form class="console-filter" method="get" action={action}>
      <div class="field">
        <label for="status-filter">{t(lang, 'console.queue.filterLabel')}</label>
        <select id="status-filter" name="status">
          {[...statuses, 'all' as const].map((s) => (
            <option key={s} value={s} selected={s === current}>
              {labels(s)}
            </option>
          ))}
        </select>
      </div>
      <button class="button button-secondary" type="submit">
        {t(lang, 'console.queue.filterSubmit')}
      </button>
    </form>
  );
}

/** The reason for a rejection: required, mailed to the person. */
export function ReasonField({ lang, id, value, invalid }: { lang: Lang; id: string; value?: string | null | undefined; invalid?: boolean }) {
  return (
    <div class="field">
      <label for={id}>{t(lang, 'console.queue.reason')}</label>
      <p class="field-hint" id={`${id}-hint`}>
        {t(lang, 'console.queue.reasonHint')}
      </p>
      <textarea id={id} name="reason" rows={3} maxLength={2000} required aria-describedby={`${id}-hint`} aria-invalid={invalid ? 'true' : undefined}>
        {value ?? ''}
      </textarea>
    </div>
  );
}

/** A definition list row; empty values show a dash. */
export function Item({ lang, label, children }: { lang: Lang; label: string; children: ComponentChildren }) {
  const empty = children === null || children === undefined || children === '';
  return (
    <div>
      <dt>{label}</dt>
      <dd>{empty ? t(lang, 'console.none') : children}</dd>
    </div>
  );
}

/** The approve / reject forms of a pending request (the detail page is their confirmation step). */
export function DecisionForms(props: {
  lang: Lang;
  csrfToken: string;
  base: string;
  id: string;
  approveHint: string;
  approveLabel: string;
  rejectLabel: string;
  fourEyes: { approve: boolean; reject: boolean };
  reason?: string | null | undefined;
  reasonInvalid?: boolean;
}) {
  const { lang } = props;
  return (
    <section aria-labelledby="decision-title" class="console-decision">
      <h2 id="decision-title">{t(lang, 'console.queue.decisionTitle')}</h2>
      <form method="post" action={`${props.base}/${props.id}/approuver`} class="form">
        <h3>{t(lang, 'console.queue.approveTitle')}</h3>
        <Csrf token={props.csrfToken} />
        <p>{props.approveHint}</p>
        {props.fourEyes.approve && <p class="muted">{t(lang, 'console.fourEyes.willNeedSecond')}</p>}
        <button class="button" type="submit">
          {props.approveLabel}
        </button>
      </form>
      <form method="post" action={`${props.base}/${props.id}/refuser`} class="form">
        <h3>{t(lang, 'console.queue.rejectTitle')}</h3>
        <Csrf token={props.csrfToken} />
        <ReasonField lang={lang} id="reject-reason" value={props.reason} invalid={props.reasonInvalid} />
        {props.fourEyes.reject && <p class="muted">{t(lang, 'console.fourEyes.willNeedSecond')}</p>}
        <button class="button button-danger" type="submit">
          {props.rejectLabel}
        </button>
      </form>
    </section>
  );
}

/** "A second approval is pending here", with the way to it. */
export function OpenApprovalNotice({ lang, approval }: { lang: Lang; approval: { id: string; action: string; requestedBy: string } | null | undefined }) {
  if (!approval) return null;
  return (
    <div class="alert alert-info" role="status" data-approval-id={approval.id}>
      <p>{t(lang, 'console.fourEyes.pendingOnItem', { action: t(lang, `console.fourEyes.action.${approval.action}` as MessageKey), identifier: approval.requestedBy })}</p>
      <p>
        <a href={`/double-validation/${approval.id}`}>{t(lang, 'console.fourEyes.review')}</a>
      </p>
    </div>
  );
}

/** Decided requests: who, when, and why when rejected. */
export function DecisionLine({ lang, status, by, at, reason }: { lang: Lang; status: string; by: string | null; at: string | number | null; reason: string | null }) {
  if (!by || at === null) return null;
  return (
    <>
      {t(lang, 'console.queue.decided', { status, by, date: formatDate(lang, typeof at === 'string' ? Date.parse(at) : at) })}
      {reason ? (
        <>
          <br />
          {t(lang, 'console.queue.decisionReason', { reason })}
        </>
      ) : null}
    </>
  );
}

/** The checkboxes' form and its two buttons; a GET to the confirmation page, so nothing happens yet. */
export function BulkForm({ lang, action, children, enabled }: { lang: Lang; action: string; children: ComponentChildren; enabled: boolean }) {
  if (!enabled) return <>{children}</>;
  return (
    <form method="get" action={action} class="console-bulk">
      {children}
      <fieldset>
        <legend>{t(lang, 'console.queue.bulkLegend')}</legend>
        <p class="field-hint">{t(lang, 'console.queue.bulkHint')}</p>
        <button class="button" type="submit" name="decision" value="approve">
          {t(lang, 'console.queue.bulkApprove')}
        </button>{' '}
        <button class="button button-danger" type="submit" name="decision" value="reject">
          {t(lang, 'console.queue.bulkReject')}
        </button>
      </fieldset>
    </form>
  );
}

export function SelectBox({ lang, id, name }: { lang: Lang; id: string; name: string }) {
  return <input type="checkbox" name="id" value={id} id={`select-${id}`} aria-label={t(lang, 'console.queue.select', { name })} />;
}
