import { PasserelleError } from '../shared/errors.ts';
import { ConfigError } from '../config/index.ts';

export interface Output {
  json: boolean;
  /** Prints `data` as JSON with --json, else the human lines. */
  result(data: unknown, lines: string[]): void;
}

export function createOutput(json: boolean): Output {
  return {
    json,
    result(data, lines) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${lines.join('\n')}\n`);
    },
  };
}

/** Clear, stable failures: `error: code: message` (or JSON) and a non-zero exit. */
export function reportFailure(error: unknown, json: boolean): number {
  if (error instanceof ConfigError) {
    if (json) process.stderr.write(`${JSON.stringify({ error: 'invalid_configuration', problems: error.problems })}\n`);
    else process.stderr.write(`${error.message}\n`);
    return 78;
  }
  if (error instanceof PasserelleError) {
    if (json) process.stderr.write(`${JSON.stringify({ error: error.code, message: error.message })}\n`);
    else process.stderr.write(`error: ${error.code}: ${error.message}\n`);
    return error.status === 404 ? 3 : error.status === 409 ? 4 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(json ? `${JSON.stringify({ error: 'internal_error', message })}\n` : `error: ${message}\n`);
  return 1;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

const english = new Intl.PluralRules('en-GB');

/** "1 match" / "2 matches": the English plural rule, not `=== 1`. */
export function plural(count: number, one: string, other: string): string {
  return english.select(count) === 'one' ? one : other;
}
