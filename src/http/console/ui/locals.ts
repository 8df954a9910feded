import type { Response } from 'express';
import type { SecondFactorState } from '../../../console/index.ts';
import type { GatewayLocals } from '../../kit/locals.ts';

/** The console runs behind the gateway pipeline, and adds what its own access checks learn. */
export interface ConsoleLocals extends GatewayLocals {
  /** The coordinator's TOTP enrolment, looked up once per console request (second-factor.ts). */
  secondFactorState?: SecondFactorState;
}

/** A console handler's response: `res.locals` typed as what the pipeline and the console set. */
export type ConsoleResponse = Response & { locals: ConsoleLocals };

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type
    interface Locals extends ConsoleLocals {}
  }
}
