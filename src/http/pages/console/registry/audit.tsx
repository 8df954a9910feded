import { t, type Lang } from '../../../i18n/index.ts';
import type { AuditEventView, AuditFilterInput } from '../../../../registry/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { ErrorSummary, Pager, Select, Table, TextInput, spacedSerial, withQuery, type FieldProblem, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

export interface AuditPageProps extends RegistryPageBase {
  filters: AuditFilterInput;
  /** Page size when not the default. */
  limit?: number | undefined;
  /** `before` of this page, when it is not the first. */
  before: number | null;
  items: AuditEventView[];
  next: number | null;
  applications: Array<{ id: string; name: string }>;
  problems: FieldProblem[];
}

function filterQuery(f: AuditFilterInput) {
  return { person: f.person, action: f.action, application: f.application, ip: f.ip, outcome: f.outcome, from: f.from, to: f.to };
}

/** Details as `key: value` pairs that wrap at their separators, cut at 300 characters (the CSV has them whole). */
function detailsText(details: Record<string, unknown> | null): string {
  if (!details) return '';
  const text = Object.entries(details)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

function Outcome({ lang, e }: { lang: Lang; e: AuditEventView }) {
  return (
    <>
      {t(lang, `registry.outcome.${e.outcome}`)}
      {e.reason ? <span class="muted"> ({e.reason})</span> : null}
    </>
  );
}

/** The audit trail: filters, one page (newest first), CSV export of the same filters. */
export function AuditPage(props: AuditPageProps) {
  const { lang, filters, problems } = props;
  const labels = {
    person: t(lang, 'registry.audit.person'),
    action: t(lang, 'registry.audit.action'),
    application: t(lang, 'registry.audit.application'),
    ip: t(lang, 'registry.audit.ip'),
    outcome: t(lang, 'registry.audit.outcome'),
    from: t(lang, 'registry.audit.from'),
    to: t(lang, 'registry.audit.to'),
  };
  const problem = (field: string) => problems.find((p) => p.field === field);
  const dateValue = (v: string | undefined) => (v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : '');
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.audit.title')} page="console-audit" section="audit">
      <ErrorSummary lang={lang} problems={problems} labels={labels} />
      <form class="form registry-filters" method="get" action="/journal" role="search" aria-label={t(lang, 'registry.filters.label')}>
        <TextInput lang={lang} name="person" label={labels.person} hint={t(lang, 'registry.audit.personHint')} value={filters.person} maxLength={200} filter problem={problem('person')} />
        <TextInput lang={lang} name="action" label={labels.action} hint={t(lang, 'registry.audit.actionHint')} value={filters.action} maxLength={100} filter problem={problem('action')} />
        <Select
          lang={lang}
          name="application"
          label={labels.application}
          value={filters.application}
          emptyLabel={t(lang, 'registry.filters.all')}
          options={props.applications.map((a) => ({ value: a.id, label: a.name }))}
          problem={problem('application')}
        />
        <TextInput lang={lang} name="ip" label={labels.ip} value={filters.ip} maxLength={64} filter problem={problem('ip')} />
        <Select
          lang={lang}
          name="outcome"
          label={labels.outcome}
          value={filters.outcome}
          emptyLabel={t(lang, 'registry.filters.all')}
          options={(['success', 'failure', 'info'] as const).map((o) => ({ value: o, label: t(lang, `registry.outcome.${o}`) }))}
          problem={problem('outcome')}
        />
        <TextInput lang={lang} name="from" type="date" label={labels.from} value={dateValue(filters.from)} filter problem={problem('from')} />
        <TextInput lang={lang} name="to" type="date" label={labels.to} hint={t(lang, 'registry.audit.toHint')} value={dateValue(filters.to)} filter problem={problem('to')} />
        <div class="registry-filter-actions">
          <button class="button" type="submit">
            {t(lang, 'registry.filters.apply')}
          </button>
          <a href="/journal">{t(lang, 'registry.filters.reset')}</a>
        </div>
      </form>
      <p>
        <a class="button button-secondary" href={withQuery('/journal.csv', filterQuery(filters))} download>
          {t(lang, 'registry.audit.export')}
        </a>
      </p>
      {props.items.length === 0 ? (
        <p role="status">{t(lang, 'registry.audit.none')}</p>
      ) : (
        <Table
          caption={t(lang, 'registry.audit.title')}
          testId="audit-events"
          head={[
            t(lang, 'registry.audit.at'),
            t(lang, 'registry.audit.action'),
            t(lang, 'registry.audit.outcome'),
            t(lang, 'registry.audit.actor'),
            t(lang, 'registry.audit.subject'),
            t(lang, 'registry.audit.application'),
            t(lang, 'registry.audit.ip'),
            t(lang, 'registry.audit.certificate'),
            t(lang, 'registry.audit.details'),
          ]}
        >
          {props.items.map((e) => (
            <tr key={e.id} data-id={e.id} data-action={e.action}>
              <th scope="row">{formatCompactDate(lang, e.at)}</th>
              <td class="identifier registry-nowrap">{e.action}</td>
              <td>
                <Outcome lang={lang} e={e} />
              </td>
              <td>{e.actor ?? '—'}</td>
              <td>{e.subject ?? '—'}</td>
              <td>{e.applicationId ?? '—'}</td>
              <td class="identifier registry-nowrap">{e.ip ?? '—'}</td>
              <td class="identifier registry-nowrap">
                {e.certificateSerial ? (
                  <a href={`/certificats/${e.certificateSerial}`}>
                    {`${spacedSerial(e.certificateSerial.slice(0, 8))}…`}
                    <span class="visually-hidden"> {t(lang, 'registry.audit.certificateLink', { serial: e.certificateSerial })}</span>
                  </a>
                ) : (
                  '—'
                )}
              </td>
              <td>
                <code class="registry-details">{detailsText(e.details)}</code>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <Pager
        lang={lang}
        label={t(lang, 'registry.pager.label')}
        first={props.before !== null ? withQuery('/journal', { ...filterQuery(filters), limit: props.limit }) : null}
        next={props.next !== null ? withQuery('/journal', { ...filterQuery(filters), limit: props.limit, before: props.next }) : null}
      />
    </ConsoleLayout>
  );
}
