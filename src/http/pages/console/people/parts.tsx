import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import type { PersonStatus } from '../../../../people/index.ts';
import { formatDate } from '../../../../shared/time.ts';

// Still offered here for pages that take it with the people parts (src/shared/time.ts is its home).
export { formatDate };

/** What every people page gets from the router (ConsoleLayout's shared props). */
export interface PeoplePageBase {
  lang: Lang;
  coordinator: { identifier: string };
  csrfToken: string;
  notice?: string | null;
}

/** Confirmations after a redirect (`?ok=…`), each with a message `people.notice.<name>`. */
export const PEOPLE_NOTICES = [
  'identity_updated',
  'identity_unchanged',
  'unlocked',
  'deactivated',
  'reactivated',
  'activation_resent',
  'invitation_resent',
  'invited',
  'certificate_revoked',
  'grant_revoked',
  'grant_added',
  'code_reissued',
  'code_pending_approval',
] as const;
export type PeopleNotice = (typeof PEOPLE_NOTICES)[number];

export function noticeText(lang: Lang, ok: unknown): string | null {
  return typeof ok === 'string' && (PEOPLE_NOTICES as readonly string[]).includes(ok) ? t(lang, `people.notice.${ok}` as MessageKey) : null;
}

/** Refusals with their own sentence; any other code gets the generic one (with the code). */
const KNOWN_ERRORS = [
  'not_locked',
  'already_deactivated',
  'not_deactivated',
  'not_provisional',
  'cannot_deactivate_self',
  'not_granted',
  'already_revoked',
  'invalid_reason',
  'approval_pending',
  'not_approved',
  'already_withdrawn',
  'account_deactivated',
  'email_in_use',
  'not_found',
] as const;

export function errorText(lang: Lang, code: string): string {
  return (KNOWN_ERRORS as readonly string[]).includes(code) ? t(lang, `people.error.${code}` as MessageKey) : t(lang, 'people.error.generic', { code });
}

/** A refused action, announced at once, with its stable code. */
export function ActionError({ lang, code }: { lang: Lang; code: string | null | undefined }) {
  if (!code) return null;
  return (
    <div class="alert alert-error" role="alert" data-error-code={code}>
      <p>{errorText(lang, code)}</p>
    </div>
  );
}

export function statusLabel(lang: Lang, status: PersonStatus): string {
  return t(lang, `people.status.${status}`);
}

/** The status as text (never by colour alone), styled per status. */
export function StatusBadge({ lang, status }: { lang: Lang; status: PersonStatus }) {
  return (
    <span class={`people-status people-status-${status}`} data-status={status}>
      {statusLabel(lang, status)}
    </span>
  );
}

/** Serials read better in pairs: 3f:a2:… */
export function groupSerial(serial: string): string {
  return serial.match(/.{1,2}/g)?.join(':') ?? serial;
}

export function DetailList({ rows }: { rows: Array<[string, ComponentChildren]> }) {
  return (
    <dl class="details">
      {rows.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
