import { t } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';

/** The one page for a form whose CSRF token is missing or stale (src/http/kit/csrf.ts), on every surface. */
export function FormExpiredPage({ lang, assetBase, back }: PageProps & { back: string }) {
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, 'csrf.title')} page="form-expired" errorCode="invalid_csrf_token">
      <div class="alert alert-error" role="alert">
        <p>{t(lang, 'csrf.lead')}</p>
      </div>
      <p>
        <a href={back}>{t(lang, 'csrf.back')}</a>
      </p>
    </Layout>
  );
}
