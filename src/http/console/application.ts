import type { ApplicationConfig, Config } from '../../config/index.ts';
import { applicationSchema } from '../../config/schema.ts';

export const CONSOLE_APPLICATION_ID = 'console';

/** The console host as the gateway sees it: an application served by Passerelle itself. */
export function consoleApplication(config: Config): ApplicationConfig {
  return applicationSchema.parse({ id: CONSOLE_APPLICATION_ID, name: 'Console de coordination', host: config.console.host, upstream: 'http://console.invalid' });
}
