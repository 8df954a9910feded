import { t, type MessageKey } from '../../../i18n/index.ts';
import type { EstablishmentApproval } from '../../../../services/index.ts';
import { formatDate } from '../people/parts.tsx';
import { PostButton, Shell, type EstablishmentPageBase } from './parts.tsx';

const enc = encodeURIComponent;

/** "Confirmer …" for an administrator: nothing changes on a GET or in one click. */
export function EstablishmentConfirmPage(props: EstablishmentPageBase & { title: string; lead: string; facts: Array<[string, string]>; action: string; submit: string; cancel: string; danger: boolean }) {
  const { lang } = props;
  return (
    <Shell {...props} title={props.title} page="establishment-confirm" section="people">
      <p class="lead">{props.lead}</p>
      <dl>
        {props.facts.map(([term, value]) => [<dt key={`t-${term}`}>{term}</dt>, <dd key={`d-${term}`}>{value}</dd>])}
      </dl>
      <form method="post" action={props.action}>
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <button class={props.danger ? 'button button-danger' : 'button'} type="submit">
          {props.submit}
        </button>{' '}
        <a class="button button-secondary" href={props.cancel}>
          {t(lang, 'services.confirm.back')}
        </a>
      </form>
    </Shell>
  );
}

/**
 * Pending second approvals of one establishment, with "confirm" and "cancel" posting to
 * `${base}/:id/valider|annuler`. The requester's own rows say someone else must confirm.
 */
export function ApprovalList(props: Pick<EstablishmentPageBase, 'lang' | 'csrfToken'> & { approvals: EstablishmentApproval[]; base: string; userId: string }) {
  const { lang, csrfToken } = props;
  if (props.approvals.length === 0) return <p>{t(lang, 'services.approvals.empty')}</p>;
  return (
    <ul class="approvals">
      {props.approvals.map((a) => (
        <li key={a.id} data-approval={a.id} data-action={a.action}>
          <strong>{t(lang, `services.action.${a.action}` as MessageKey)}</strong> — {a.summary}
          <br />
          {t(lang, 'services.approvals.requestedBy', { name: a.requestedBy, date: formatDate(lang, a.requestedAt) })}{' '}
          {a.requestedByUserId === props.userId ? (
            <em>{t(lang, 'services.approvals.yours')}</em>
          ) : (
            <PostButton action={`${props.base}/${enc(a.id)}/valider`} csrfToken={csrfToken} label={t(lang, 'services.approvals.confirm')} />
          )}{' '}
          <PostButton action={`${props.base}/${enc(a.id)}/annuler`} csrfToken={csrfToken} label={t(lang, 'services.approvals.cancel')} />
        </li>
      ))}
    </ul>
  );
}

export function EstablishmentApprovalsPage(props: EstablishmentPageBase & { approvals: EstablishmentApproval[]; userId: string }) {
  const { lang } = props;
  return (
    <Shell {...props} title={t(lang, 'services.approvals.title')} page="establishment-approvals" section="approvals">
      <p>{t(lang, 'services.approvals.lead')}</p>
      <ApprovalList lang={lang} csrfToken={props.csrfToken} approvals={props.approvals} base="/validations" userId={props.userId} />
    </Shell>
  );
}
