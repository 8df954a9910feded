import type { ComponentChildren } from 'preact';
import { t, type Lang } from '../../../i18n/index.ts';
import { ConsoleLayout } from '../layout.tsx';

/** What every /migration page gets from the router. */
export interface MigrationPageBase {
  lang: Lang;
  coordinator: { identifier: string };
  csrfToken: string;
  notice?: string | null;
}

export function MigrationLayout({ base, title, page, children }: { base: MigrationPageBase; title: string; page: string; children: ComponentChildren }) {
  return (
    <ConsoleLayout lang={base.lang} title={title} page={page} section="migration" coordinator={base.coordinator} csrfToken={base.csrfToken} notice={base.notice ?? null}>
      {children}
    </ConsoleLayout>
  );
}

export function BackLink({ lang }: { lang: Lang }) {
  return (
    <p class="secondary-action">
      <a href="/migration">{t(lang, 'legacy.console.back')}</a>
    </p>
  );
}

/** Destructive actions start with a GET to the confirmation page. */
export function confirmHref(action: string, params: Record<string, string>): string {
  return `/migration/confirmer?${new URLSearchParams({ action, ...params }).toString()}`;
}
