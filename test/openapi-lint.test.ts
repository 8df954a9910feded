/**
 * docs/openapi.yaml is a valid OpenAPI 3.1 document for the tools application teams use: swagger-parser
 * validates and dereferences it, Redocly CLI lints it with its recommended rules (redocly.yaml) with no
 * error and no warning. An unquoted comma in a YAML flow map splits a description into stray keys: both
 * catch it.
 */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';

const ROOT = path.resolve(import.meta.dirname, '..');
const SPEC = path.join(ROOT, 'docs/openapi.yaml');

describe('docs/openapi.yaml', () => {
  it('passes swagger-parser validation, every $ref resolved', async () => {
    const api = (await SwaggerParser.validate(SPEC)) as { openapi: string; paths: Record<string, unknown> };
    expect(api.openapi).toBe('3.1.0');
    expect(Object.keys(api.paths).length).toBeGreaterThan(20);
  });

  it('passes Redocly lint with no error and no warning', { timeout: 120_000 }, async () => {
    const cli = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'lint', SPEC, '--format=json'], { cwd: ROOT, env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' } });
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as { totals: { errors: number; warnings: number }; problems: Array<{ message: string }> };
    expect(report.problems.map((p) => p.message)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  });
});
