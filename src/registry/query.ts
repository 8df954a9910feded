import { z } from 'zod';
import { BadRequestError } from '../shared/errors.ts';

/**
 * Query strings as both the console forms and the admin API send them: strings only, an
 * empty field means "no filter". Pages ignore parameters they do not know (`ok`, `lang`);
 * the API refuses them (`strict`).
 */
export function readQuery<S extends z.ZodObject>(schema: S, query: unknown, options: { strict: boolean }): z.infer<S> {
  const raw = typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
  const present = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== '' && v !== undefined));
  const parsed = (options.strict ? schema.strict() : schema).safeParse(options.strict ? present : pick(present, Object.keys(schema.shape)));
  if (!parsed.success) {
    throw new BadRequestError('invalid_query', parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '), {
      fields: parsed.error.issues.map((i) => String(i.path[0] ?? '')),
    });
  }
  return parsed.data as z.infer<S>;
}

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in source).map((k) => [k, source[k]]));
}

/** Page size: 1…200, 50 by default. */
export const limitParam = z.coerce.number().int().min(1).max(200).default(50);

export const text = (max: number) => z.string().trim().max(max);
