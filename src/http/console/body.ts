import type { Request } from 'express';
import type { z } from 'zod';
import { BadRequestError, PasserelleError } from '../../shared/errors.ts';

function describe(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** A JSON body checked against a strict schema: unknown fields and wrong types are refused. No body counts as `{}`. */
export function parseBody<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw new BadRequestError('invalid_body', describe(parsed.error));
  return parsed.data;
}

export function parseQuery<S extends z.ZodType>(schema: S, req: Request): z.infer<S> {
  const parsed = schema.safeParse(req.query);
  if (!parsed.success) throw new BadRequestError('invalid_query', describe(parsed.error));
  return parsed.data;
}

/** A body that is not JSON is refused rather than ignored: a script sending a form would otherwise "approve" with no reason. */
export function requireJsonBody(req: Request): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');
  if (hasBody && !req.is('application/json')) throw new PasserelleError(415, 'unsupported_media_type', 'send the body as application/json');
}
