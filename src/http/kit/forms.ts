import type { Request } from 'express';

/** The posted fields, strings only (anything else reads as absent). One reader for every surface. */
export function fields(req: Request): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body)) if (typeof value === 'string') out[key] = value;
  return out;
}
