import { t } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';

export interface UpstreamErrorPageProps extends PageProps {
  applicationName: string;
  status: 502 | 504;
}

const CODES = { 502: 'upstream_unavailable', 504: 'upstream_timeout' } as const;

/** The application behind the gateway failed; the person's session is untouched. */
export function UpstreamErrorPage({ lang, assetBase, applicationName, status }: UpstreamErrorPageProps) {
  const application = applicationName;
  return (
    <Layout
      lang={lang}
      assetBase={assetBase}
      title={t(lang, `upstream.${status}.title`, { application })}
      page="upstream-error"
      errorCode={CODES[status]}
    >
      <p class="lead">{t(lang, 'upstream.lead', { application })}</p>
      <p>{t(lang, 'upstream.session')}</p>
      <p>{t(lang, 'upstream.retry')}</p>
      <p class="secondary-action">
        {/* An empty href reloads the current address. */}
        <a href="">{t(lang, 'upstream.retryLink')}</a>
      </p>
    </Layout>
  );
}
