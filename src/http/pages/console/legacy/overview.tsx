import { t } from '../../../i18n/index.ts';
import type { LegacyLock } from '../../../../model/legacy.ts';
import type { ConflictView, LegacyProgress } from '../../../../legacy/index.ts';
import { MigrationLayout, confirmHref, type MigrationPageBase } from './parts.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

export interface MigrationOverviewProps extends MigrationPageBase {
  progress: LegacyProgress[];
  conflicts: ConflictView[];
  locks: Array<LegacyLock & { applicationName: string }>;
}

function State({ base, p }: { base: MigrationPageBase; p: LegacyProgress }) {
  const { lang } = base;
  if (!p.cutOver) return <>{t(lang, 'legacy.console.state.open')}</>;
  if (p.cutOver.source === 'config') return <>{t(lang, 'legacy.console.state.config')}</>;
  return <>{t(lang, 'legacy.console.state.cutOver', { date: formatCompactDate(lang, p.cutOver.at), by: p.cutOver.by })}</>;
}

/** /migration: progress per application, conflicts left to the cell, blocked legacy identifiers, a person's cut-over. */
export function MigrationOverviewPage(props: MigrationOverviewProps) {
  const { lang } = props;
  return (
    <MigrationLayout base={props} title={t(lang, 'legacy.console.title')} page="console-migration">
      <p class="lead">{t(lang, 'legacy.console.lead')}</p>
      {props.progress.length === 0 ? (
        <p>{t(lang, 'legacy.console.none')}</p>
      ) : (
        <table class="table" id="migration-progress">
          <caption>{t(lang, 'legacy.console.applications')}</caption>
          <thead>
            <tr>
              <th scope="col">{t(lang, 'legacy.console.col.application')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.mode')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.mapped')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.cutOver')}</th>
              <th scope="col">
                <abbr title={t(lang, 'legacy.console.remaining.hint')}>{t(lang, 'legacy.console.col.remaining')}</abbr>
              </th>
              <th scope="col">{t(lang, 'legacy.console.col.declined')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.state')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.progress.map((p) => (
              <tr key={p.applicationId} data-application={p.applicationId}>
                <th scope="row">{p.applicationName}</th>
                <td>{t(lang, `legacy.console.mode.${p.mode}`)}</td>
                <td data-count="mapped">{p.mapped}</td>
                <td data-count="cut-over">{p.cutOverMappings}</td>
                <td data-count="remaining">{p.remaining ?? t(lang, 'legacy.console.remaining.unknown')}</td>
                <td data-count="declined">{p.declined}</td>
                <td>
                  <State base={props} p={p} />
                </td>
                <td>
                  <a href={`/migration/applications/${encodeURIComponent(p.applicationId)}`}>{t(lang, 'legacy.console.viewMappings')}</a>
                  {!p.cutOver && (
                    <>
                      {' · '}
                      <a href={confirmHref('cut-over-app', { app: p.applicationId })}>{t(lang, 'legacy.console.cutOverApp')}</a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="migration-person">{t(lang, 'legacy.console.person.title')}</h2>
      <form class="form" method="get" action="/migration/personne" aria-labelledby="migration-person">
        <div class="field">
          <label for="person-identifier">{t(lang, 'legacy.console.person.identifier')}</label>
          <input id="person-identifier" name="identifiant" type="text" autocomplete="off" autocapitalize="none" spellcheck={false} required maxLength={200} />
        </div>
        <button class="button button-secondary" type="submit">
          {t(lang, 'legacy.console.person.submit')}
        </button>
      </form>

      <h2>{t(lang, 'legacy.console.conflicts.title')}</h2>
      {props.conflicts.length === 0 ? (
        <p>{t(lang, 'legacy.console.conflicts.none')}</p>
      ) : (
        <>
          <p>{t(lang, 'legacy.console.conflicts.lead')}</p>
          <table class="table" id="migration-conflicts">
            <thead>
              <tr>
                <th scope="col">{t(lang, 'legacy.console.col.application')}</th>
                <th scope="col">{t(lang, 'legacy.console.col.legacy')}</th>
                <th scope="col">{t(lang, 'legacy.console.col.claimant')}</th>
                <th scope="col">{t(lang, 'legacy.console.col.holder')}</th>
                <th scope="col">{t(lang, 'legacy.console.col.date')}</th>
                <th scope="col">{t(lang, 'legacy.console.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {props.conflicts.map((c) => (
                <tr key={c.id}>
                  <td>{c.applicationName}</td>
                  <th scope="row">{c.legacyUsername}</th>
                  <td>{c.claimant}</td>
                  <td>{c.holder}</td>
                  <td>{formatCompactDate(lang, c.createdAt)}</td>
                  <td>
                    <a href={confirmHref('reassign', { conflict: c.id })}>{t(lang, 'legacy.console.conflicts.reassign')}</a>
                    {' · '}
                    <a href={confirmHref('dismiss', { conflict: c.id })}>{t(lang, 'legacy.console.conflicts.dismiss')}</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}

      <h2>{t(lang, 'legacy.console.locks.title')}</h2>
      {props.locks.length === 0 ? (
        <p>{t(lang, 'legacy.console.locks.none')}</p>
      ) : (
        <table class="table" id="migration-locks">
          <thead>
            <tr>
              <th scope="col">{t(lang, 'legacy.console.col.application')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.legacy')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.failures')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.date')}</th>
              <th scope="col">{t(lang, 'legacy.console.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.locks.map((l) => (
              <tr key={`${l.applicationId}/${l.usernameKey}`}>
                <td>{l.applicationName}</td>
                <th scope="row">{l.usernameKey}</th>
                <td>{l.failures}</td>
                <td>{formatCompactDate(lang, l.lockedAt)}</td>
                <td>
                  <a href={confirmHref('unlock', { app: l.applicationId, legacy: l.usernameKey })}>{t(lang, 'legacy.console.locks.unlock')}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </MigrationLayout>
  );
}
