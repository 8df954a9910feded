import { t } from '../../../i18n/index.ts';
import type { ApiTokenView } from '../../../../tokens/index.ts';
import { ConsoleLayout } from '../layout.tsx';
import { CsrfField, Details, ErrorSummary, Table, TextInput, fieldId, type FieldProblem, type RegistryPageBase } from './components.tsx';
import { formatCompactDate } from '../../../../shared/time.ts';

const SECTION = 'tokens';

export interface TokensPageProps extends RegistryPageBase {
  tokens: ApiTokenView[];
  name: string;
  problems: FieldProblem[];
  /** Just created: shown once, here, and never again. */
  created: { token: string; record: ApiTokenView } | null;
}

/** The coordinator's own API tokens: create (shown once), list, revoke. */
export function TokensPage(props: TokensPageProps) {
  const { lang, problems, created } = props;
  const labels = { name: t(lang, 'registry.tokens.name') };
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.tokens.title')} page="console-tokens" section={SECTION}>
      <p class="lead">{t(lang, 'registry.tokens.lead')}</p>
      {created ? (
        <section class="alert alert-success" aria-labelledby="token-created" data-testid="token-created">
          <h2 id="token-created">{t(lang, 'registry.tokens.createdTitle', { name: created.record.name })}</h2>
          <p>{t(lang, 'registry.tokens.createdLead')}</p>
          <div class="field">
            <label for={fieldId('token')}>{t(lang, 'registry.tokens.value')}</label>
            <input id={fieldId('token')} type="text" readOnly value={created.token} class="identifier registry-token" autocomplete="off" spellcheck={false} />
          </div>
        </section>
      ) : null}
      <section aria-labelledby="token-new">
        <h2 id="token-new">{t(lang, 'registry.tokens.newTitle')}</h2>
        <ErrorSummary lang={lang} problems={problems} labels={labels} />
        <form class="form" method="post" action="/jetons" noValidate>
          <CsrfField token={props.csrfToken} />
          <TextInput lang={lang} name="name" label={labels.name} hint={t(lang, 'registry.tokens.nameHint')} value={props.name} required maxLength={100} problem={problems.find((p) => p.field === 'name')} />
          <button class="button" type="submit">
            {t(lang, 'registry.tokens.create')}
          </button>
        </form>
      </section>
      <section aria-labelledby="token-list">
        <h2 id="token-list">{t(lang, 'registry.tokens.listTitle')}</h2>
        {props.tokens.length === 0 ? (
          <p>{t(lang, 'registry.tokens.none')}</p>
        ) : (
          <Table
            caption={t(lang, 'registry.tokens.listTitle')}
            testId="tokens"
            head={[t(lang, 'registry.tokens.name'), t(lang, 'registry.tokens.id'), t(lang, 'registry.tokens.createdAt'), t(lang, 'registry.tokens.lastUsed'), t(lang, 'registry.tokens.state'), t(lang, 'registry.outbox.actions')]}
          >
            {props.tokens.map((tk) => (
              <tr key={tk.id} data-id={tk.id} data-state={tk.revokedAt ? 'revoked' : 'active'}>
                <th scope="row">{tk.name}</th>
                <td class="identifier">{tk.id}</td>
                <td>{formatCompactDate(lang, tk.createdAt)}</td>
                <td>{tk.lastUsedAt ? formatCompactDate(lang, tk.lastUsedAt) : t(lang, 'registry.tokens.neverUsed')}</td>
                <td>{tk.revokedAt ? t(lang, 'registry.tokens.revokedOn', { date: formatCompactDate(lang, tk.revokedAt) }) : t(lang, 'registry.tokens.active')}</td>
                <td>
                  {tk.revokedAt ? null : (
                    <a href={`/jetons/${tk.id}/revoquer`} aria-label={t(lang, 'registry.tokens.revokeNamed', { name: tk.name })}>
                      {t(lang, 'registry.tokens.revoke')}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
    </ConsoleLayout>
  );
}

export interface RevokeTokenPageProps extends RegistryPageBase {
  token: ApiTokenView;
}

export function RevokeTokenPage(props: RevokeTokenPageProps) {
  const { lang, token } = props;
  return (
    <ConsoleLayout {...props} title={t(lang, 'registry.tokens.revokeTitle', { name: token.name })} page="console-token-revoke" section={SECTION}>
      <Details
        testId="token-details"
        rows={[
          [t(lang, 'registry.tokens.name'), token.name],
          [t(lang, 'registry.tokens.id'), token.id],
          [t(lang, 'registry.tokens.createdAt'), formatCompactDate(lang, token.createdAt)],
          [t(lang, 'registry.tokens.lastUsed'), token.lastUsedAt ? formatCompactDate(lang, token.lastUsedAt) : t(lang, 'registry.tokens.neverUsed')],
        ]}
      />
      <p class="alert alert-error">{t(lang, 'registry.tokens.revokeWarning')}</p>
      <form class="form" method="post" action={`/jetons/${token.id}/revoquer`}>
        <CsrfField token={props.csrfToken} />
        <button class="button button-danger" type="submit">
          {t(lang, 'registry.tokens.revokeConfirm')}
        </button>{' '}
        <a href="/jetons">{t(lang, 'registry.cancel')}</a>
      </form>
    </ConsoleLayout>
  );
}
