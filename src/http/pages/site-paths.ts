import type { MessageKey } from '../i18n/index.ts';

/** The public information pages, linked from every footer (and the legal ones from the registration form). */
export const SITE_PATHS = {
  help: '/aide',
  accessibility: '/accessibilite',
  legal: '/mentions-legales',
  personalData: '/donnees-personnelles',
} as const;

export const SITE_PAGES: ReadonlyArray<{ path: string; key: MessageKey }> = [
  { path: SITE_PATHS.help, key: 'site.link.help' },
  { path: SITE_PATHS.accessibility, key: 'site.link.accessibility' },
  { path: SITE_PATHS.legal, key: 'site.link.legal' },
  { path: SITE_PATHS.personalData, key: 'site.link.personalData' },
];
