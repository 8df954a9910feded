import type { ComponentChildren } from 'preact';
import { t, type Lang, type MessageKey } from '../../../i18n/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import type { FieldError } from '../../../../portal/fields.ts';
import type { EventView, PersonView } from '../../../../people/index.ts';
import { CsrfField, ErrorSummary, SelectField, TextField, errorFor } from '../../portal/shell.tsx';
import { reasonKey } from '../registry/certificates.tsx';
import { ActionError, DetailList, StatusBadge, groupSerial, type PeoplePageBase } from './parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export interface PersonPageProps extends PeoplePageBase {
  person: PersonView;
  establishments: Array<{ id: string; name: string }>;
  /** The identity form, refused: its problems and what was typed. */
  identityErrors?: FieldError[] | null;
  identityValues?: Record<string, string> | null;
  /** A refused action (`?error=…`). */
  error?: string | null;
  /** Whether a new withdrawal code waits for a second coordinator (four-eyes rule). */
  codeNeedsSecondApproval: boolean;
  /** Applications of the catalogue this person cannot use yet: the "grant access" form offers them. */
  grantable?: Array<{ id: string; name: string }>;
}

const date = (lang: Lang, value: string | null) => (value ? formatDate(lang, Date.parse(value)) : '—');

/** Audit actions with a name in words (`people.action.<action>`); others show their code. */
const NAMED_ACTIONS = [
  'user.create',
  'registration.approve',
  'person.invite',
  'person.invitation.reminder',
  'person.activation.resend',
  'person.update',
  'account.activate',
  'password.forgot',
  'password.reset',
  'user.lockout',
  'user.unlock',
  'user.deactivate',
  'user.reactivate',
  'gateway.login',
  'portal.login',
  'grant.add',
  'grant.revoke',
  'certificate.issue',
  'certificate.revoke',
] as const;

function actionText(lang: Lang, action: string): string {
  return (NAMED_ACTIONS as readonly string[]).includes(action) ? t(lang, `people.action.${action}` as MessageKey) : action;
}

/** Revocation reasons in the registry's words (the same list the cell chooses from). */
export function reasonText(lang: Lang, reason: string): string {
  return t(lang, reasonKey(reason));
}

function EventsTable({ lang, events, caption, id }: { lang: Lang; events: EventView[]; caption: string; id: string }) {
  if (events.length === 0) return <p>{t(lang, 'people.none')}</p>;
  return (
    <table class="table people-events" aria-labelledby={id}>
      <caption class="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t(lang, 'people.event.at')}</th>
          <th scope="col">{t(lang, 'people.event.action')}</th>
          <th scope="col">{t(lang, 'people.event.outcome')}</th>
          <th scope="col">{t(lang, 'people.event.actor')}</th>
          <th scope="col">{t(lang, 'people.event.ip')}</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr key={e.id} data-action={e.action}>
            <td>{formatDate(lang, Date.parse(e.at))}</td>
            <td>
              {actionText(lang, e.action)}
              {e.applicationId ? ` — ${e.applicationId}` : ''}
            </td>
            <td>
              {t(lang, `people.outcome.${e.outcome}`)}
              {e.reason ? ` (${e.reason})` : ''}
            </td>
            <td class="identifier">{e.actor ?? '—'}</td>
            <td>{e.ip ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Actions({ lang, person }: { lang: Lang; person: PersonView }) {
  const base = `/personnes/${encodeURIComponent(person.id)}`;
  const links: Array<[string, string]> = [];
  if (person.accountStatus === 'locked') links.push([`${base}/deverrouiller`, t(lang, 'people.do.unlock')]);
  if (person.accountStatus === 'provisional') links.push([`${base}/renvoyer`, t(lang, person.invitation && !person.activatedAt ? 'people.do.resendInvitation' : 'people.do.resendActivation')]);
  if (person.accountStatus === 'deactivated') links.push([`${base}/reactiver`, t(lang, 'people.do.reactivate')]);
  else links.push([`${base}/desactiver`, t(lang, 'people.do.deactivate')]);
  return (
    <ul class="people-actions">
      {links.map(([href, label]) => (
        <li key={href}>
          <a class="button button-secondary" href={href}>
            {label}
          </a>
        </li>
      ))}
    </ul>
  );
}

function IdentityForm(props: PersonPageProps) {
  const { lang, person } = props;
  const errors = props.identityErrors ?? [];
  const values = props.identityValues ?? {
    givenName: person.givenName,
    familyName: person.familyName,
    profession: person.profession ?? '',
    rpps: person.rpps ?? '',
    establishmentId: person.establishment?.id ?? '',
  };
  const labels = {
    givenName: t(lang, 'people.field.givenName'),
    familyName: t(lang, 'people.field.familyName'),
    profession: t(lang, 'people.field.profession'),
    rpps: t(lang, 'people.field.rpps'),
    establishmentId: t(lang, 'people.field.establishment'),
  };
  return (
    <details class="people-edit" open={errors.length > 0}>
      <summary>{t(lang, 'people.identity.edit')}</summary>
      <ErrorSummary lang={lang} errors={errors} labels={labels} />
      <form class="form" method="post" action={`/personnes/${encodeURIComponent(person.id)}/identite`} noValidate>
        <CsrfField token={props.csrfToken} />
        <TextField lang={lang} name="givenName" label={labels.givenName} value={values.givenName} required maxLength={100} autocomplete="off" error={errorFor(errors, 'givenName')} />
        <TextField lang={lang} name="familyName" label={labels.familyName} value={values.familyName} required maxLength={100} autocomplete="off" error={errorFor(errors, 'familyName')} />
        <TextField lang={lang} name="profession" label={labels.profession} value={values.profession} maxLength={100} autocomplete="off" error={errorFor(errors, 'profession')} />
        <TextField lang={lang} name="rpps" label={labels.rpps} hint={t(lang, 'people.field.rppsHint')} value={values.rpps} maxLength={40} inputMode="numeric" autocomplete="off" error={errorFor(errors, 'rpps')} />
        <SelectField
          lang={lang}
          name="establishmentId"
          label={labels.establishmentId}
          value={values.establishmentId}
          placeholder={t(lang, 'people.field.noEstablishment')}
          options={props.establishments.map((e) => ({ value: e.id, label: e.name }))}
          error={errorFor(errors, 'establishmentId')}
        />
        <p class="field-hint">{t(lang, 'people.identity.identifierHint')}</p>
        <button class="button" type="submit">
          {t(lang, 'people.identity.save')}
        </button>
      </form>
    </details>
  );
}

/** /personnes/:id — everything about one account, and what the cell can do to it. */
export function PersonPage(props: PersonPageProps) {
  const { lang, person } = props;
  const base = `/personnes/${encodeURIComponent(person.id)}`;
  const title = `${person.givenName} ${person.familyName}`;
  return (
    <ConsoleLayout {...props} title={title} page="console-person" section="people">
      <p>
        <a href="/personnes">{t(lang, 'people.back')}</a>
      </p>
      <ActionError lang={lang} code={props.error} />
      <p class="people-summary">
        <StatusBadge lang={lang} status={person.status} /> <span class="identifier">{person.identifier}</span>
        {person.role === 'coordinator' ? ` — ${t(lang, 'people.role.coordinator')}` : ''}
      </p>
      <Actions lang={lang} person={person} />

      <section aria-labelledby="identity-title">
        <h2 id="identity-title">{t(lang, 'people.identity.title')}</h2>
        <DetailList
          rows={[
            [t(lang, 'people.field.givenName'), person.givenName],
            [t(lang, 'people.field.familyName'), person.familyName],
            [t(lang, 'people.field.profession'), person.profession ?? '—'],
            [t(lang, 'people.field.rpps'), person.rpps ?? '—'],
            [t(lang, 'people.field.establishment'), person.establishment?.name ?? '—'],
          ]}
        />
        <IdentityForm {...props} />
      </section>

      <section aria-labelledby="account-title">
        <h2 id="account-title">{t(lang, 'people.account.title')}</h2>
        <DetailList
          rows={[
            [t(lang, 'people.field.identifier'), <span class="identifier">{person.identifier}</span>],
            [t(lang, 'people.field.email'), person.email],
            [t(lang, 'people.field.role'), t(lang, `people.role.${person.role}`)],
            [t(lang, 'people.field.status'), <StatusBadge lang={lang} status={person.status} />],
            [t(lang, 'people.account.created'), date(lang, person.createdAt)],
            [t(lang, 'people.account.activated'), date(lang, person.activatedAt)],
            ...(person.provisionalExpiresAt ? ([[t(lang, 'people.account.provisionalExpires'), date(lang, person.provisionalExpiresAt)]] as Array<[string, string]>) : []),
            ...(person.invitation
              ? ([[t(lang, 'people.account.invited'), t(lang, 'people.account.invitedValue', { date: date(lang, person.invitation.invitedAt), count: person.invitation.remindersSent })]] as Array<[string, string]>)
              : []),
            ...(person.lockedAt ? ([[t(lang, 'people.account.locked'), date(lang, person.lockedAt)]] as Array<[string, string]>) : []),
            [t(lang, 'people.account.lastLogin'), person.lastLogin ? `${date(lang, person.lastLogin.at)}${person.lastLogin.ip ? ` — ${person.lastLogin.ip}` : ''}` : '—'],
          ]}
        />
      </section>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t(lang, 'people.history.title')}</h2>
        <EventsTable lang={lang} events={person.statusHistory} caption={t(lang, 'people.history.title')} id="history-title" />
      </section>

      <TableSection lang={lang} id="certificates" title="people.certificates.title" empty={person.certificates.length === 0} columns={['people.certificates.label', 'people.certificates.serial', 'people.certificates.state', 'people.certificates.validity', 'people.col.actions']}>
        {person.certificates.map((c) => (
          <tr key={c.serial} data-serial={c.serial}>
            <th scope="row">{c.label}</th>
            <td class="identifier">{groupSerial(c.serial)}</td>
            <td>
              {t(lang, `people.certificate.${c.state}`)}
              {c.revocationReason ? ` (${reasonText(lang, c.revocationReason)})` : ''}
            </td>
            <td>{t(lang, 'people.certificates.until', { date: date(lang, c.notAfter) })}</td>
            <td>
              {c.state === 'valid' ? (
                <a href={`${base}/certificats/${encodeURIComponent(c.serial)}/revoquer`}>
                  {t(lang, 'people.do.revokeCertificate')}
                  <span class="visually-hidden"> {c.label}</span>
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </TableSection>

      <TableSection lang={lang} id="requests" title="people.requests.title" empty={person.certificateRequests.length === 0} columns={['people.certificates.label', 'people.requests.status', 'people.requests.code', 'people.col.actions']}>
        {person.certificateRequests.map((r) => (
          <tr key={r.id} data-request={r.id}>
            <th scope="row">{r.label}</th>
            <td>{t(lang, `people.request.${r.status}`)}</td>
            <td>{r.withdrawal ? t(lang, `people.code.${r.withdrawal.status}`, { date: date(lang, r.withdrawal.expiresAt) }) : '—'}</td>
            <td>
              {r.canReissueCode ? (
                <a href={`${base}/demandes/${encodeURIComponent(r.id)}/nouveau-code`}>
                  {t(lang, props.codeNeedsSecondApproval ? 'people.do.newCodeFourEyes' : 'people.do.newCode')}
                  <span class="visually-hidden"> {r.label}</span>
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </TableSection>

      <TableSection lang={lang} id="grants" title="people.grants.title" empty={person.grants.length === 0} columns={['people.grants.application', 'people.grants.status', 'people.grants.since', 'people.col.actions']}>
        {person.grants.map((g) => (
          <tr key={g.applicationId} data-application={g.applicationId}>
            <th scope="row">{g.applicationName}</th>
            <td>{t(lang, `people.grant.${g.status}`)}</td>
            <td>{date(lang, g.since)}</td>
            <td>
              {g.status === 'granted' ? (
                <a href={`${base}/acces/${encodeURIComponent(g.applicationId)}/retirer`}>
                  {t(lang, 'people.do.revokeGrant')}
                  <span class="visually-hidden"> {g.applicationName}</span>
                </a>
              ) : (
                '—'
              )}
            </td>
          </tr>
        ))}
      </TableSection>

      {(props.grantable ?? []).length > 0 && (
        <form class="form people-grant" method="post" action={`${base}/acces`}>
          <CsrfField token={props.csrfToken} />
          <div class="field">
            <label for="grant-application">{t(lang, 'people.grant.add.label')}</label>
            <select id="grant-application" name="application" required>
              {props.grantable!.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </div>
          <button class="button" type="submit">
            {t(lang, 'people.grant.add.submit')}
          </button>
        </form>
      )}

      <TableSection lang={lang} id="legacy" title="people.legacy.title" empty={person.legacyIdentifiers.length === 0} columns={['people.grants.application', 'people.legacy.username', 'people.legacy.status']}>
        {person.legacyIdentifiers.map((m) => (
          <tr key={m.applicationId}>
            <th scope="row">{m.applicationName}</th>
            <td class="identifier">{m.legacyUsername}</td>
            <td>{m.cutOverAt ? t(lang, 'people.legacy.cutOver', { date: date(lang, m.cutOverAt) }) : t(lang, 'people.legacy.mapped', { date: date(lang, m.createdAt) })}</td>
          </tr>
        ))}
      </TableSection>

      <section aria-labelledby="logins-title">
        <h2 id="logins-title">{t(lang, 'people.logins.title')}</h2>
        <EventsTable lang={lang} events={person.lastLogins} caption={t(lang, 'people.logins.title')} id="logins-title" />
      </section>

      <section aria-labelledby="audit-title">
        <h2 id="audit-title">{t(lang, 'people.audit.title')}</h2>
        <EventsTable lang={lang} events={person.audit} caption={t(lang, 'people.audit.title')} id="audit-title" />
      </section>
    </ConsoleLayout>
  );
}

/** A section of the person page: its title, then "none" or a table with these column headers. */
function TableSection(props: { lang: Lang; id: string; title: MessageKey; empty: boolean; columns: MessageKey[]; children: ComponentChildren }) {
  const { lang, id } = props;
  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(lang, props.title)}</h2>
      {props.empty ? (
        <p>{t(lang, 'people.none')}</p>
      ) : (
        <table class="table" aria-labelledby={`${id}-title`}>
          <thead>
            <tr>
              {props.columns.map((key) => (
                <th key={key} scope="col">
                  {t(lang, key)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>{props.children}</tbody>
        </table>
      )}
    </section>
  );
}
