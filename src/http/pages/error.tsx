import { t, type Lang, type MessageKey } from '../i18n/index.ts';
import { Layout, type PageProps } from './layout.tsx';

export interface ErrorPageProps extends PageProps {
  status: number;
  /** Stable machine-readable code (`data-error-code`), e.g. `not_found`. */
  code: string;
  /** Shown for 4xx only: a 5xx page never reveals internals. */
  message?: string | undefined;
}

const TITLED = [400, 403, 404, 405, 413, 429, 500, 503] as const;

function titleKey(status: number): MessageKey {
  const known = TITLED.find((s) => s === status);
  if (known !== undefined) return `error.${known}.title`;
  return status >= 500 ? 'error.5xx.title' : 'error.4xx.title';
}

function leadKey(status: number): MessageKey {
  if (status === 429) return 'error.429.lead';
  return status >= 500 ? 'error.5xx.lead' : 'error.4xx.lead';
}

function Detail({ lang, status, message }: { lang: Lang; status: number; message?: string | undefined }) {
  if (status >= 500 || !message) return null;
  return <p class="detail">{t(lang, 'error.detail', { message })}</p>;
}

/** Generic 4xx/5xx page. */
export function ErrorPage({ lang, assetBase, status, code, message }: ErrorPageProps) {
  return (
    <Layout lang={lang} assetBase={assetBase} title={t(lang, titleKey(status))} page="error" errorCode={code}>
      <p class="lead">{t(lang, leadKey(status))}</p>
      <Detail lang={lang} status={status} message={message} />
      <p class="reference">{t(lang, 'error.reference', { code, status })}</p>
    </Layout>
  );
}
