import { t } from '../../../i18n/index.ts';
import type { EstablishmentPerson, ServiceAccess, ServiceMember, ServiceMembership, ServiceSummary } from '../../../../model/services.ts';
import type { AuditEvent, CertificateRequest } from '../../../../model/index.ts';
import { PERSON_STATUSES, type PersonStatus } from '../../../../people/index.ts';
import type { EstablishmentApproval } from '../../../../services/index.ts';
import { ApprovalList } from './approvals.tsx';
import { StatusBadge, formatDate, statusLabel } from '../people/parts.tsx';
import { PostButton, SelectForm, Shell, TextField, type EstablishmentPageBase } from './parts.tsx';

type App = { id: string; name: string };
const enc = encodeURIComponent;

export function EstablishmentPeoplePage(props: EstablishmentPageBase & { status: PersonStatus | null; people: Array<EstablishmentPerson & { personStatus: PersonStatus; services: string[] }> }) {
  const { lang } = props;
  return (
    <Shell {...props} title={t(lang, 'services.people.title')} page="establishment-people" section="people">
      <p>
        <a class="button" href="/personnes/inviter">
          {t(lang, 'services.people.invite')}
        </a>
      </p>
      <form method="get" action="/personnes" class="inline-form" data-testid="status-filter">
        <label for="f-status">{t(lang, 'services.people.filter')}</label>{' '}
        <select id="f-status" name="statut">
          <option value="">{t(lang, 'services.people.filterAll')}</option>
          {PERSON_STATUSES.map((s) => (
            <option key={s} value={s} selected={s === props.status}>
              {statusLabel(lang, s)}
            </option>
          ))}
        </select>{' '}
        <button class="button button-secondary" type="submit">
          {t(lang, 'services.people.filterSubmit')}
        </button>
      </form>
      {props.people.length === 0 ? (
        <p>{t(lang, 'services.people.empty')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t(lang, 'services.col.name')}</th>
              <th scope="col">{t(lang, 'services.col.identifier')}</th>
              <th scope="col">{t(lang, 'services.col.email')}</th>
              <th scope="col">{t(lang, 'services.people.services')}</th>
              <th scope="col">{t(lang, 'services.col.status')}</th>
            </tr>
          </thead>
          <tbody>
            {props.people.map((p) => (
              <tr key={p.id} data-person={p.identifier}>
                <th scope="row">
                  <a href={`/personnes/${enc(p.id)}`}>
                    {p.familyName.toUpperCase()} {p.givenName}
                  </a>
                </th>
                <td class="identifier">{p.identifier}</td>
                <td>{p.email}</td>
                <td>{p.services.join(', ') || '—'}</td>
                <td>
                  <StatusBadge lang={lang} status={p.personStatus} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}

export function EstablishmentInvitePage(props: EstablishmentPageBase & { days: number; values: Record<string, string> }) {
  const { lang, values } = props;
  return (
    <Shell {...props} title={t(lang, 'services.invite.title')} page="establishment-invite" section="people">
      <p>{t(lang, 'services.invite.lead', { days: props.days })}</p>
      <form method="post" action="/personnes/inviter">
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <TextField id="f-givenName" name="givenName" label={t(lang, 'services.field.givenName')} value={values.givenName} required />
        <TextField id="f-familyName" name="familyName" label={t(lang, 'services.field.familyName')} value={values.familyName} required />
        <TextField id="f-email" name="email" type="email" label={t(lang, 'services.field.email')} value={values.email} required max={254} />
        <TextField id="f-profession" name="profession" label={t(lang, 'services.field.profession')} value={values.profession} max={100} />
        <button class="button" type="submit">
          {t(lang, 'services.invite.submit')}
        </button>
      </form>
    </Shell>
  );
}

export interface EstablishmentPersonProps extends EstablishmentPageBase {
  person: { id: string; identifier: string; givenName: string; familyName: string; email: string; profession: string | null; status: PersonStatus; invitationPending: boolean };
  memberships: ServiceMembership[];
  services: ServiceSummary[];
  access: Array<{ application: App; individual: boolean; services: ServiceAccess[] }>;
}

export function EstablishmentPersonPage(props: EstablishmentPersonProps) {
  const { lang, person, csrfToken } = props;
  const base = `/personnes/${enc(person.id)}`;
  const joinable = props.services.filter((s) => !props.memberships.some((m) => m.serviceId === s.id));
  return (
    <Shell {...props} title={`${person.givenName} ${person.familyName}`} page="establishment-person" section="people">
      <p>
        <span class="identifier">{person.identifier}</span> · {person.email} · <StatusBadge lang={lang} status={person.status} />
      </p>
      <section aria-labelledby="services-title">
        <h2 id="services-title">{t(lang, 'services.person.services')}</h2>
        {props.memberships.length === 0 ? (
          <p>{t(lang, 'services.person.noServices')}</p>
        ) : (
          <ul class="memberships">
            {props.memberships.map((m) => (
              <li key={m.serviceId} data-service={m.serviceName}>
                {m.serviceName} <PostButton action={`${base}/services/${enc(m.serviceId)}/retirer`} csrfToken={csrfToken} label={t(lang, 'services.person.detach', { service: m.serviceName })} />
              </li>
            ))}
          </ul>
        )}
        <SelectForm
          action={`${base}/services`}
          csrfToken={csrfToken}
          id="f-service"
          name="service"
          label={t(lang, 'services.field.service')}
          submit={t(lang, 'services.person.attach')}
          options={joinable.map((s) => ({ value: s.id, label: s.name }))}
        />
      </section>
      <section aria-labelledby="access-title">
        <h2 id="access-title">{t(lang, 'services.person.access')}</h2>
        {props.access.length === 0 ? (
          <p>{t(lang, 'services.person.noAccess')}</p>
        ) : (
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t(lang, 'services.col.application')}</th>
                <th scope="col">{t(lang, 'services.col.source')}</th>
              </tr>
            </thead>
            <tbody>
              {props.access.map((a) => (
                <tr key={a.application.id} data-access={a.application.id}>
                  <th scope="row">{a.application.name}</th>
                  <td>
                    {[...(a.individual ? [t(lang, 'services.person.individual')] : []), ...a.services.map((s) => t(lang, 'services.person.viaService', { service: s.serviceName }))].join(' ; ')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-labelledby="identity-title">
        <h2 id="identity-title">{t(lang, 'services.person.identity')}</h2>
        <form method="post" action={`${base}/identite`}>
          <input type="hidden" name="csrf" value={csrfToken} />
          <TextField id="f-givenName" name="givenName" label={t(lang, 'services.field.givenName')} value={person.givenName} required />
          <TextField id="f-familyName" name="familyName" label={t(lang, 'services.field.familyName')} value={person.familyName} required />
          <TextField id="f-profession" name="profession" label={t(lang, 'services.field.profession')} value={person.profession} max={100} />
          <button class="button" type="submit">
            {t(lang, 'services.person.save')}
          </button>
        </form>
      </section>
      <section aria-labelledby="account-title">
        <h2 id="account-title">{t(lang, 'services.person.actions')}</h2>
        {person.invitationPending ? <PostButton action={`${base}/renvoyer`} csrfToken={csrfToken} label={t(lang, 'services.person.resend')} /> : null}
        {/* Both go through a confirmation page (GET), as on the cell's console. */}
        {person.status === 'deactivated' ? (
          <a class="button button-secondary" href={`${base}/reactiver`}>
            {t(lang, 'services.person.reactivate')}
          </a>
        ) : (
          <a class="button button-danger" href={`${base}/desactiver`}>
            {t(lang, 'services.person.deactivate')}
          </a>
        )}
      </section>
    </Shell>
  );
}

export function ServicesPage(props: EstablishmentPageBase & { services: ServiceSummary[]; applications: App[]; action: string }) {
  const { lang } = props;
  const appName = (id: string) => props.applications.find((a) => a.id === id)?.name ?? id;
  return (
    <Shell {...props} title={t(lang, 'services.list.title')} page="establishment-services" section="services">
      {props.services.length === 0 ? (
        <p>{t(lang, 'services.list.empty')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t(lang, 'services.col.name')}</th>
              <th scope="col">{t(lang, 'services.col.code')}</th>
              <th scope="col">{t(lang, 'services.col.members')}</th>
              <th scope="col">{t(lang, 'services.col.applications')}</th>
            </tr>
          </thead>
          <tbody>
            {props.services.map((s) => (
              <tr key={s.id} data-service={s.name}>
                <th scope="row">
                  <a href={`/services/${enc(s.id)}`}>{s.name}</a>
                </th>
                <td>{s.code ?? '—'}</td>
                <td>{s.members}</td>
                <td>{s.applications.map(appName).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t(lang, 'services.list.create')}</h2>
      <form method="post" action={props.action}>
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <TextField id="f-name" name="name" label={t(lang, 'services.field.serviceName')} required max={100} />
        <TextField id="f-code" name="code" label={t(lang, 'services.field.serviceCode')} hint={t(lang, 'services.field.serviceCodeHint')} max={32} />
        <button class="button" type="submit">
          {t(lang, 'services.list.createSubmit')}
        </button>
      </form>
    </Shell>
  );
}

export interface ServicePageProps extends EstablishmentPageBase {
  service: ServiceSummary;
  members: ServiceMember[];
  candidates: Array<{ id: string; label: string }>;
  applications: App[];
  grantable: App[];
}

export function ServicePage(props: ServicePageProps) {
  const { lang, service, csrfToken } = props;
  const base = `/services/${enc(service.id)}`;
  const appName = (id: string) => props.applications.find((a) => a.id === id)?.name ?? id;
  return (
    <Shell {...props} title={service.name} page="establishment-service" section="services">
      <section aria-labelledby="members-title">
        <h2 id="members-title">{t(lang, 'services.service.members')}</h2>
        {props.members.length === 0 ? (
          <p>{t(lang, 'services.service.noMembers')}</p>
        ) : (
          <ul>
            {props.members.map((m) => (
              <li key={m.userId} data-member={m.identifier}>
                <a href={`/personnes/${enc(m.userId)}`}>
                  {m.familyName.toUpperCase()} {m.givenName}
                </a>{' '}
                <PostButton action={`${base}/membres/retirer`} csrfToken={csrfToken} fields={{ person: m.userId }} label={t(lang, 'services.service.remove', { name: `${m.givenName} ${m.familyName}` })} />
              </li>
            ))}
          </ul>
        )}
        <SelectForm action={`${base}/membres`} csrfToken={csrfToken} id="f-person" name="person" label={t(lang, 'services.field.person')} submit={t(lang, 'services.service.addMember')} options={props.candidates.map((c) => ({ value: c.id, label: c.label }))} />
      </section>
      <section aria-labelledby="apps-title">
        <h2 id="apps-title">{t(lang, 'services.service.applications')}</h2>
        {service.applications.length === 0 ? (
          <p>{t(lang, 'services.service.noApplications')}</p>
        ) : (
          <ul>
            {service.applications.map((id) => (
              <li key={id} data-application={id}>
                {appName(id)} <PostButton action={`${base}/applications/retirer`} csrfToken={csrfToken} fields={{ application: id }} label={t(lang, 'services.service.revoke', { application: appName(id) })} />
              </li>
            ))}
          </ul>
        )}
        <p class="field-hint">{t(lang, 'services.service.allowedHint')}</p>
        <SelectForm action={`${base}/applications`} csrfToken={csrfToken} id="f-application" name="application" label={t(lang, 'services.field.application')} submit={t(lang, 'services.service.grant')} options={props.grantable.map((a) => ({ value: a.id, label: a.name }))} />
      </section>
      <section aria-labelledby="rename-title">
        <h2 id="rename-title">{t(lang, 'services.service.rename')}</h2>
        <form method="post" action={base}>
          <input type="hidden" name="csrf" value={csrfToken} />
          <TextField id="f-name" name="name" label={t(lang, 'services.field.serviceName')} value={service.name} required max={100} />
          <TextField id="f-code" name="code" label={t(lang, 'services.field.serviceCode')} value={service.code} max={32} />
          <button class="button" type="submit">
            {t(lang, 'services.person.save')}
          </button>
        </form>
        <PostButton action={`${base}/supprimer`} csrfToken={csrfToken} label={t(lang, 'services.service.delete')} danger />
      </section>
    </Shell>
  );
}

export function WorkstationsPage(props: EstablishmentPageBase & { requests: CertificateRequest[] }) {
  const { lang } = props;
  return (
    <Shell {...props} title={t(lang, 'services.workstations.title')} page="establishment-workstations" section="workstations">
      <p>{t(lang, 'services.workstations.lead')}</p>
      <form method="post" action="/postes">
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <TextField id="f-label" name="label" label={t(lang, 'services.field.label')} required max={200} />
        <button class="button" type="submit">
          {t(lang, 'services.workstations.submit')}
        </button>
      </form>
      {props.requests.length === 0 ? (
        <p>{t(lang, 'services.workstations.empty')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t(lang, 'services.col.label')}</th>
              <th scope="col">{t(lang, 'services.col.status')}</th>
              <th scope="col">{t(lang, 'services.col.date')}</th>
            </tr>
          </thead>
          <tbody>
            {props.requests.map((r) => (
              <tr key={r.id} data-request={r.id}>
                <th scope="row">{r.label}</th>
                <td data-status={r.status}>{r.status}</td>
                <td>{formatDate(lang, r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Shell>
  );
}

export function EstablishmentAuditPage(props: EstablishmentPageBase & { events: AuditEvent[] }) {
  const { lang } = props;
  return (
    <Shell {...props} title={t(lang, 'services.audit.title')} page="establishment-audit" section="audit">
      <p>
        <a class="button button-secondary" href="/journal.csv" download>
          {t(lang, 'services.audit.csv')}
        </a>
      </p>
      <table class="table">
        <thead>
          <tr>
            <th scope="col">{t(lang, 'services.col.date')}</th>
            <th scope="col">{t(lang, 'services.col.action')}</th>
            <th scope="col">{t(lang, 'services.col.outcome')}</th>
            <th scope="col">{t(lang, 'services.col.actor')}</th>
            <th scope="col">{t(lang, 'services.col.subject')}</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((e) => (
            <tr key={e.id} data-action={e.action}>
              <td>{formatDate(lang, e.at)}</td>
              <td>{e.action}</td>
              <td>{e.outcome}</td>
              <td>{e.actor ?? '—'}</td>
              <td>{e.subject ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Shell>
  );
}

export interface DelegationPageProps extends EstablishmentPageBase {
  target: { id: string; name: string };
  admins: Array<{ userId: string; identifier: string; givenName: string; familyName: string }>;
  applications: Array<App & { allowed: boolean }>;
  services: ServiceSummary[];
  /** Administrators' actions waiting for a second approval (the cell may confirm them). */
  approvals: EstablishmentApproval[];
  userId: string;
}

/** The cell's page about one establishment: its administrators, what it may grant, its services. */
export function DelegationPage(props: DelegationPageProps) {
  const { lang, target, csrfToken } = props;
  const base = `/etablissements/${enc(target.id)}/delegation`;
  return (
    <Shell {...props} title={t(lang, 'services.delegation.title', { name: target.name })} page="establishment-delegation" section="establishments">
      <section aria-labelledby="admins-title">
        <h2 id="admins-title">{t(lang, 'services.delegation.admins')}</h2>
        {props.admins.length === 0 ? (
          <p>{t(lang, 'services.delegation.noAdmins')}</p>
        ) : (
          <ul>
            {props.admins.map((a) => (
              <li key={a.userId} data-admin={a.identifier}>
                {a.givenName} {a.familyName} ({a.identifier}){' '}
                <PostButton action={`${base}/administrateurs/retirer`} csrfToken={csrfToken} fields={{ person: a.userId }} label={t(lang, 'services.delegation.removeAdmin', { name: a.identifier })} />
              </li>
            ))}
          </ul>
        )}
        <form method="post" action={`${base}/administrateurs`}>
          <input type="hidden" name="csrf" value={csrfToken} />
          <TextField id="f-admin" name="person" label={t(lang, 'services.field.identifier')} required />
          <button class="button" type="submit">
            {t(lang, 'services.delegation.addAdmin')}
          </button>
        </form>
      </section>
      <section aria-labelledby="allowed-title">
        <h2 id="allowed-title">{t(lang, 'services.delegation.applications')}</h2>
        <ul>
          {props.applications.map((a) => (
            <li key={a.id} data-allowed={a.allowed ? 'yes' : 'no'} data-application={a.id}>
              {a.name}{' '}
              <PostButton
                action={`${base}/applications/${a.allowed ? 'retirer' : 'autoriser'}`}
                csrfToken={csrfToken}
                fields={{ application: a.id }}
                label={t(lang, a.allowed ? 'services.delegation.disallow' : 'services.delegation.allow')}
              />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="approvals-title">
        <h2 id="approvals-title">{t(lang, 'services.approvals.title')}</h2>
        <ApprovalList lang={lang} csrfToken={csrfToken} approvals={props.approvals} base={`${base}/validations`} userId={props.userId} />
      </section>
      <ServicesList {...props} />
    </Shell>
  );
}

function ServicesList(props: DelegationPageProps) {
  const { lang, target } = props;
  return (
    <section aria-labelledby="services-title">
      <h2 id="services-title">{t(lang, 'services.list.title')}</h2>
      <ul>
        {props.services.map((s) => (
          <li key={s.id} data-service={s.name}>
            <a href={`/services/${enc(s.id)}`}>{s.name}</a> ({s.members})
          </li>
        ))}
      </ul>
      <form method="post" action={`/etablissements/${enc(target.id)}/services`}>
        <input type="hidden" name="csrf" value={props.csrfToken} />
        <TextField id="f-name" name="name" label={t(lang, 'services.field.serviceName')} required max={100} />
        <TextField id="f-code" name="code" label={t(lang, 'services.field.serviceCode')} max={32} />
        <button class="button" type="submit">
          {t(lang, 'services.list.createSubmit')}
        </button>
      </form>
    </section>
  );
}
