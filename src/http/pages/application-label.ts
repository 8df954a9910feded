import { t, type Lang } from '../i18n/index.ts';

/** The console's application name (src/http/console/application.ts), a common noun rather than a brand. */
export const CONSOLE_APPLICATION_NAME = 'Console de coordination';

/**
 * How a sentence names an application: a brand as is ("Connexion à OpenDRP"), the console with its
 * article and in the page's language ("Connexion à la console de coordination", "Sign in to the coordination console").
 */
export function applicationLabel(lang: Lang, name: string): string {
  return name === CONSOLE_APPLICATION_NAME ? t(lang, 'application.console') : name;
}
