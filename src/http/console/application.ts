import type { ApplicationConfig, Config } from '../../config/index.ts';
import { applicationSchema } from '../../config/schema.ts';
import { CONSOLE_APPLICATION_NAME } from '../pages/application-label.ts';

export const CONSOLE_APPLICATION_ID = 'console';

/** The console host as the gateway sees it: an application served by Passerelle itself. */
export function consoleApplication(config: Config): ApplicationConfig {
  return applicationSchema.parse({ id: CONSOLE_APPLICATION_ID, name: CONSOLE_APPLICATION_NAME, host: config.console.host, upstream: 'http://console.invalid' });
}
