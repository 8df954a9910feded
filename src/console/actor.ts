import type { Actor } from '../accounts/service.ts';

/** A coordinator acting in the console or through the admin API: who, from where, with which certificate. */
export interface ConsoleActor extends Actor {
  name: string;
  ip: string | null;
  userId: string;
  certificateSerial: string | null;
}
