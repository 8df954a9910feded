import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { securityHeaders } from '../../../security-headers.ts';

/**
 * Streams CSV lines to the response with backpressure; a client that goes away stops the
 * generator (and so the database reads). UTF-8 with a byte order mark: Excel needs it to
 * show accents.
 */
export async function sendCsv(res: Response, fileName: string, lines: AsyncGenerator<string>): Promise<void> {
  securityHeaders(res.req, res, () => undefined);
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8; header=present');
  res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
  await pipeline(
    Readable.from(
      (async function* withBom() {
        yield '\ufeff';
        yield* lines;
      })(),
    ),
    res,
  );
}
