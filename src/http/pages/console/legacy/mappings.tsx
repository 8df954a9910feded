import { t } from '../../../i18n/index.ts';
import type { MappingView } from '../../../../legacy/index.ts';
import { BackLink, MigrationLayout, confirmHref, type MigrationPageBase } from './parts.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

function MappingTable({ base, rows, showApplication }: { base: MigrationPageBase; rows: MappingView[]; showApplication: boolean }) {
  const { lang } = base;
  return (
    <table class="table" id="migration-mappings">
      <thead>
        <tr>
          {showApplication ? <th scope="col">{t(lang, 'legacy.console.col.application')}</th> : <th scope="col">{t(lang, 'legacy.console.col.person')}</th>}
          <th scope="col">{t(lang, 'legacy.console.col.legacy')}</th>
          <th scope="col">{t(lang, 'legacy.console.col.status')}</th>
          <th scope="col">{t(lang, 'legacy.console.col.date')}</th>
          <th scope="col">{t(lang, 'legacy.console.col.actions')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((m) => (
          <tr key={m.id} data-status={m.status}>
            <th scope="row">{showApplication ? m.applicationName : (m.identifier ?? m.userId)}</th>
            <td>{m.legacyUsername}</td>
            <td>{t(lang, `legacy.console.status.${m.status}`)}</td>
            <td>{formatCompactDate(lang, m.status === 'cut_over' ? m.cutOverAt : m.createdAt)}</td>
            <td>{m.status === 'mapped' && <a href={confirmHref('cut-over-user', { user: m.userId, app: m.applicationId })}>{t(lang, 'legacy.console.cutOverOne')}</a>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface ApplicationMappingsProps extends MigrationPageBase {
  applicationName: string;
  mappings: MappingView[];
  /** The list was cut at this many rows. */
  limit: number;
}

/** /migration/applications/:app — who is linked, under which legacy identifier. */
export function ApplicationMappingsPage(props: ApplicationMappingsProps) {
  const { lang } = props;
  return (
    <MigrationLayout base={props} title={t(lang, 'legacy.console.mappings.title', { application: props.applicationName })} page="console-migration-mappings">
      {props.mappings.length === 0 ? <p>{t(lang, 'legacy.console.mappings.none')}</p> : <MappingTable base={props} rows={props.mappings} showApplication={false} />}
      {props.mappings.length >= props.limit && <p class="muted">{t(lang, 'legacy.console.mappings.truncated', { count: props.limit })}</p>}
      <BackLink lang={lang} />
    </MigrationLayout>
  );
}

export interface PersonMappingsProps extends MigrationPageBase {
  identifier: string;
  /** null: nobody has this identifier. */
  userId: string | null;
  mappings: MappingView[];
}

/** /migration/personne — one person's legacy identifiers, with their cut-over. */
export function PersonMappingsPage(props: PersonMappingsProps) {
  const { lang, identifier } = props;
  const anyMapped = props.mappings.some((m) => m.status === 'mapped');
  return (
    <MigrationLayout base={props} title={t(lang, 'legacy.console.person.heading', { identifier })} page="console-migration-person">
      {props.userId === null ? (
        <p role="status">{t(lang, 'legacy.console.person.notFound', { identifier })}</p>
      ) : props.mappings.length === 0 ? (
        <p>{t(lang, 'legacy.console.person.none', { identifier })}</p>
      ) : (
        <>
          <MappingTable base={props} rows={props.mappings} showApplication={true} />
          {anyMapped && (
            <p>
              <a class="button button-danger" href={confirmHref('cut-over-user', { user: props.userId })}>
                {t(lang, 'legacy.console.person.cutOverAll')}
              </a>
            </p>
          )}
        </>
      )}
      <BackLink lang={lang} />
    </MigrationLayout>
  );
}
