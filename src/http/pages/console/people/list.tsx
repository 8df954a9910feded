import { t } from '../../../i18n/index.ts';
import { tPlural } from '../../../i18n/plural.ts';
import { ConsoleLayout } from '../layout.tsx';
import { PERSON_STATUSES, type PeoplePage, type PersonStatus } from '../../../../people/index.ts';
import { ActionError, StatusBadge, statusLabel, type PeoplePageBase } from './parts.tsx';
import { formatDate } from '../../../../shared/time.ts';

export interface PeopleListProps extends PeoplePageBase {
  q: string;
  status: PersonStatus | null;
  page: PeoplePage;
  /** A refused query (bad cursor, too long). */
  error?: string | null;
}

function href(params: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const query = search.toString();
  return query ? `/personnes?${query}` : '/personnes';
}

/** /personnes: search, status filter, one keyset page of people. */
export function PeopleListPage(props: PeopleListProps) {
  const { lang, q, status, page } = props;
  const count = page.totalExact ? tPlural(lang, 'people.list.count', page.total, { count: page.total.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB') }) : t(lang, 'people.list.count.more', { count: page.total.toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB') });
  return (
    <ConsoleLayout {...props} title={t(lang, 'people.title')} page="console-people" section="people">
      <p>
        <a class="button" href="/personnes/inviter">
          {t(lang, 'people.invite.link')}
        </a>
      </p>
        <form class="people-search" method="get" action="/personnes" role="search" aria-label={t(lang, 'people.search.label')}>
          <div class="field">
            <label for="people-q">{t(lang, 'people.search.q')}</label>
            <p class="field-hint" id="people-q-hint">
              {t(lang, 'people.search.hint')}
            </p>
            <input id="people-q" name="q" type="search" value={q} maxLength={200} aria-describedby="people-q-hint" autocomplete="off" spellcheck={false} />
          </div>
          {/* One status filter: the links below; a search keeps the one chosen. */}
          {status && <input type="hidden" name="status" value={status} />}
          <button class="button" type="submit">
            {t(lang, 'people.search.submit')}
          </button>
        </form>
      <nav class="people-filters" aria-label={t(lang, 'people.search.quickFilters')}>
        <ul>
          <li>
            <a href={href({ q })} aria-current={status === null ? 'page' : undefined}>
              {t(lang, 'people.status.all')}
            </a>
          </li>
          {PERSON_STATUSES.map((s) => (
            <li key={s}>
              <a href={href({ q, status: s })} aria-current={s === status ? 'page' : undefined}>
                {statusLabel(lang, s)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <ActionError lang={lang} code={props.error} />
      <h2 id="people-results" aria-live="polite">
        {count}
      </h2>
      {page.people.length === 0 ? (
        <p>{t(lang, 'people.list.empty')}</p>
      ) : (
        <div class="people-table-wrap">
          <table class="table people-table" aria-labelledby="people-results">
            <thead>
              <tr>
                <th scope="col">{t(lang, 'people.col.name')}</th>
                <th scope="col">{t(lang, 'people.col.identifier')}</th>
                <th scope="col">{t(lang, 'people.col.email')}</th>
                <th scope="col">{t(lang, 'people.col.rpps')}</th>
                <th scope="col">{t(lang, 'people.col.establishment')}</th>
                <th scope="col">{t(lang, 'people.col.status')}</th>
                <th scope="col">{t(lang, 'people.col.lastLogin')}</th>
              </tr>
            </thead>
            <tbody>
              {page.people.map((p) => (
                <tr key={p.id} data-person={p.identifier}>
                  <th scope="row">
                    <a href={`/personnes/${encodeURIComponent(p.id)}`}>
                      <span class="people-family">{p.familyName}</span> {p.givenName}
                    </a>
                    {p.role === 'coordinator' ? <span class="people-role"> ({t(lang, 'people.role.coordinator')})</span> : null}
                  </th>
                  <td class="identifier">{p.identifier}</td>
                  <td class="people-email">{p.email}</td>
                  <td>{p.rpps ?? '—'}</td>
                  <td>{p.establishment?.name ?? '—'}</td>
                  <td>
                    <StatusBadge lang={lang} status={p.status} />
                  </td>
                  <td>{p.lastLoginAt ? formatDate(lang, Date.parse(p.lastLoginAt)) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <nav class="people-pages" aria-label={t(lang, 'people.pages.label')}>
        <ul>
          {page.previous ? (
            <li>
              <a href={href({ q, status, before: page.previous })} rel="prev">
                {t(lang, 'people.pages.previous')}
              </a>
            </li>
          ) : null}
          {page.previous ? (
            <li>
              <a href={href({ q, status })}>{t(lang, 'people.pages.first')}</a>
            </li>
          ) : null}
          {page.next ? (
            <li>
              <a href={href({ q, status, after: page.next })} rel="next">
                {t(lang, 'people.pages.next')}
              </a>
            </li>
          ) : null}
        </ul>
      </nav>
    </ConsoleLayout>
  );
}
