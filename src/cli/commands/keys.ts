import type { Command } from 'commander';
import { pkiDir } from '../../config/index.ts';
import { cliActor } from '../actor.ts';
import type { WithRuntime } from './approval.ts';
import type { SigningKeyStatus } from '../../identity/index.ts';

const identity = () => import('../../identity/index.ts');

function when(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

function describe(key: SigningKeyStatus): string {
  const state = key.state === 'retired' ? `retired, in the JWKS until ${when(key.publishedUntil)}` : key.state === 'expired' ? 'expired, no longer published' : 'current, signs assertions';
  return `${key.kid}  ${state}  (created ${key.createdAt === null ? 'at installation' : when(key.createdAt)}, ${key.file})`;
}

/**
 * `keys list|rotate`: the ES256 keys that sign downstream assertions (files in the PKI directory, shared by
 * replicas). Neither touches the CA key: no PKI passphrase needed.
 */
export function registerKeyCommands(program: Command, withRuntime: WithRuntime): void {
  const keys = program.command('keys').description('assertion signing keys (ES256, published in the JWKS)');
  keys
    .command('list')
    .description('list the signing keys: the current one and retired ones still published')
    .action(async () => {
      const { listSigningKeys } = await identity();
      await withRuntime(async (runtime, out) => {
        const list = await listSigningKeys(pkiDir(runtime.config), { assertionTtlSeconds: runtime.config.assertion.ttlSeconds, clock: runtime.clock });
        out.result(list, list.length > 0 ? list.map(describe) : ['(no signing key yet: `serve` creates the first one)']);
      });
    });
  keys
    .command('rotate')
    .description('create a new signing key; the previous one stays in the JWKS until its assertions expire, older expired keys are deleted')
    .action(async () => {
      const { rotateSigningKey } = await identity();
      await withRuntime(async (runtime, out) => {
        const ttl = runtime.config.assertion.ttlSeconds;
        const result = await rotateSigningKey(pkiDir(runtime.config), { assertionTtlSeconds: ttl, clock: runtime.clock });
        await runtime.auditor.record({ action: 'signing-key.rotate', outcome: 'success', actor: cliActor().name, details: { kid: result.created.kid, deleted: result.deleted.length } });
        out.result(result, [
          `new signing key ${result.created.kid}: replicas sharing the directory sign with it as soon as they see the file`,
          ...result.keys.filter((k) => k.state === 'retired').map((k) => `previous key ${k.kid} stays in the JWKS until ${when(k.publishedUntil)} (assertions live ${ttl} s)`),
          ...result.deleted.map((file) => `deleted ${file} (its assertions have all expired)`),
        ]);
      });
    });
}
