import type { ApplicationConfig } from '../../config/index.ts';
import type { HostFamily } from '../../authentication/session-policy.ts';
import { CONSOLE_APPLICATION_ID } from '../console/application.ts';

/** The host family a request was sent to: the console host, or any application host. */
export function hostFamily(application: ApplicationConfig): HostFamily {
  return application.id === CONSOLE_APPLICATION_ID ? 'console' : 'applications';
}
