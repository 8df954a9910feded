import { Command, Option } from 'commander';
import { loadConfig, maskSecrets, REQUIRED_SECRETS } from '../config/index.ts';
import type { Runtime } from '../app/runtime.ts';
import type { KeyAlgorithm } from '../pki/index.ts';
import { READABLE_ALPHABET, cryptoRandom } from '../shared/random.ts';
import { BadRequestError } from '../shared/errors.ts';
import { systemClock } from '../shared/clock.ts';
import { createOutput, readStdin, reportFailure, type Output } from './output.ts';
import { cliActor } from './actor.ts';
import { formatAuditEvents, parseWhen } from './commands/audit.ts';

// The runtime, the PKI, the HTTP stack and the domain are imported by the commands that use them
// (`await import(…)`), so `passerelle --help` and `config` load little (README, "Production start-up").

const program = new Command('passerelle')
  .description('Passerelle: certificate-based authentication gateway')
  .option('--json', 'machine-readable output')
  .showHelpAfterError();

function output(): Output {
  return createOutput(Boolean(program.opts<{ json?: boolean }>().json));
}

/**
 * Runs a command with a runtime (config, storage, PKI), closing it afterwards. Only commands that sign or
 * revoke (`{ ca: true }`) decrypt the CA key and so need the PKI passphrase; the others read the PKI's
 * certificates only, so listing registrations, people or the audit trail needs no passphrase.
 */
async function withRuntime<T>(fn: (runtime: Runtime, out: Output) => Promise<T>, options: { ca?: boolean } = {}): Promise<T> {
  const { openRuntime } = await import('../app/runtime.ts');
  const config = loadConfig({ requireSecrets: options.ca ? ['pki.passphrase'] : [] });
  const runtime = await openRuntime(config, { ca: options.ca ? 'sign' : 'read' });
  try {
    return await fn(runtime, output());
  } finally {
    await runtime.close();
  }
}

program
  .command('serve')
  .description('start the public listener and the gateway')
  .option('--demo', 'development: create a demo clinician, establishment and certificates, and start the demo application')
  .action(async (options: { demo?: boolean }) => {
    const { serve } = await import('../app/serve.ts');
    await serve({ demo: Boolean(options.demo), json: output().json });
  });

program
  .command('config')
  .description('validate the configuration and print it (every credential masked)')
  .action(() => {
    // Checked without the secrets `serve` needs, which are named instead: reading the config needs none.
    const config = loadConfig({ requireSecrets: [] });
    const missing = config.mode === 'production' ? REQUIRED_SECRETS.filter((name) => (name === 'pki.passphrase' ? !config.pki.passphrase : !config.session.secret)) : [];
    const masked = maskSecrets(config);
    const notes = missing.map((name) => `note: \`serve\` needs ${name} in production`);
    output().result(masked, ['configuration is valid', ...notes, JSON.stringify(masked, null, 2)]);
  });

const pki = program.command('pki').description('certificate authority');
pki
  .command('init')
  .description('create the root CA, the issuing CA and the server certificate')
  .option('--force', 'replace existing material (every issued certificate stops working)')
  .action(async (options: { force?: boolean }) => {
    const config = loadConfig({ requireSecrets: ['pki.passphrase'] });
    const [{ initPki }, { pkiOptions, serverHosts }] = await Promise.all([import('../pki/index.ts'), import('../app/runtime.ts')]);
    const created = await initPki(pkiOptions(config, systemClock), { force: Boolean(options.force) });
    const data = { dir: created.dir, root: created.root.subject, issuing: created.issuing.subject, serverHosts: serverHosts(config), encrypted: Boolean(config.pki.passphrase) };
    output().result(data, [
      `PKI created in ${data.dir}`,
      `  root CA:    ${data.root}`,
      `  issuing CA: ${data.issuing}`,
      `  server certificate for: ${data.serverHosts.join(', ')}`,
      data.encrypted ? '  CA keys encrypted with the configured passphrase' : '  WARNING: CA keys are NOT encrypted (no pki.passphrase); development only',
    ]);
  });

const user = program.command('user').description('accounts');
user
  .command('create')
  .description('create an account; prints the identifier (and the provisional password when none is given)')
  .requiredOption('--given-name <name>')
  .requiredOption('--family-name <name>')
  .requiredOption('--email <email>')
  .option('--establishment <id>', 'establishment id or FINESS')
  .addOption(new Option('--role <role>').choices(['clinician', 'coordinator']).default('clinician'))
  .option('--password-stdin', 'read the password from standard input (the account is then active)')
  .action(async (o: { givenName: string; familyName: string; email: string; establishment?: string; role: 'clinician' | 'coordinator'; passwordStdin?: boolean }) => {
    const password = o.passwordStdin ? await readStdin() : null;
    await withRuntime(async (runtime, out) => {
      const establishmentId = o.establishment ? (await runtime.accounts.requireEstablishment(o.establishment)).id : null;
      const { user: created, provisionalPassword } = await runtime.accounts.createUser(
        { givenName: o.givenName, familyName: o.familyName, email: o.email, establishmentId, role: o.role, password },
        cliActor(),
      );
      out.result(
        { id: created.id, identifier: created.identifier, status: created.status, role: created.role, provisionalPassword },
        [created.identifier, ...(provisionalPassword ? [`provisional password: ${provisionalPassword}`] : [])],
      );
    });
  });

for (const [name, description] of [
  ['unlock', 'unlock a locked account (mails a new provisional password)'],
  ['deactivate', 'deactivate an account'],
  ['reactivate', 'reactivate a deactivated account (provisional again if it never chose its password)'],
] as const) {
  user
    .command(`${name} <user>`)
    .description(description)
    .action(async (who: string) => {
      await withRuntime(async (runtime, out) => {
        // The same operations as the console, so the CLI mails and audits alike.
        const { id } = await runtime.accounts.requireUser(who);
        const { unlockPerson, deactivatePerson, reactivatePerson } = await import('../people/actions.ts');
        const act = { unlock: unlockPerson, deactivate: deactivatePerson, reactivate: reactivatePerson }[name];
        const changed = await act(runtime, id, cliActor());
        out.result(changed, [`${changed.identifier}: ${changed.status}${name === 'unlock' ? ' (new provisional password sent by mail)' : ''}`]);
      });
    });
}

program
  .command('establishment')
  .description('establishments')
  .command('create')
  .requiredOption('--name <name>')
  .option('--finess <finess>')
  .requiredOption('--referent-email <email>')
  .action(async (o: { name: string; finess?: string; referentEmail: string }) => {
    await withRuntime(async (runtime, out) => {
      const e = await runtime.accounts.createEstablishment({ name: o.name, finess: o.finess ?? null, referentEmail: o.referentEmail }, cliActor());
      out.result(e, [e.id]);
    });
  });

const grant = program.command('grant').description('application access');
grant
  .command('add')
  .requiredOption('--user <user>', 'id or identifier')
  .requiredOption('--app <app>', 'application id')
  .action(async (o: { user: string; app: string }) => {
    await withRuntime(async (runtime, out) => {
      await runtime.accounts.addGrant(o.user, o.app, cliActor());
      out.result({ user: o.user, application: o.app, status: 'granted' }, [`${o.user} may use ${o.app}`]);
    });
  });
grant
  .command('revoke')
  .requiredOption('--user <user>', 'id or identifier')
  .requiredOption('--app <app>', 'application id')
  .action(async (o: { user: string; app: string }) => {
    await withRuntime(async (runtime, out) => {
      const changed = await runtime.accounts.revokeGrant(o.user, o.app, cliActor());
      out.result({ user: o.user, application: o.app, status: 'revoked', changed }, [changed ? `${o.user} may no longer use ${o.app}` : `${o.user} had no access to ${o.app}`]);
    });
  });

const cert = program.command('cert').description('certificates');
cert
  .command('issue')
  .description('issue a certificate with a server-side key (bootstrap and operations)')
  .option('--user <user>', 'personal certificate for this account (id or identifier)')
  .option('--collective', 'collective certificate for a shared workstation')
  .option('--establishment <id>', 'establishment id or FINESS (collective)')
  .requiredOption('--label <label>', 'workstation label')
  .requiredOption('--out <dir>', 'directory for cert.pem, key.pem, chain.pem, bundle.p12')
  .addOption(new Option('--key-algorithm <alg>').choices(['rsa-2048', 'rsa-3072']).default('rsa-2048'))
  .option('--p12-password-stdin', 'read the PKCS#12 password from standard input (else one is generated and printed)')
  .action(async (o: { user?: string; collective?: boolean; establishment?: string; label: string; out: string; keyAlgorithm: KeyAlgorithm; p12PasswordStdin?: boolean }) => {
    if (Boolean(o.user) === Boolean(o.collective)) throw new BadRequestError('usage', 'give either --user or --collective --establishment');
    if (o.collective && !o.establishment) throw new BadRequestError('usage', '--collective needs --establishment');
    const p12Password = o.p12PasswordStdin ? await readStdin() : cryptoRandom.string(16, READABLE_ALPHABET);
    if (p12Password.length < 8) throw new BadRequestError('weak_password', 'the PKCS#12 password needs at least 8 characters');
    const [{ generateKeyPair, exportPrivateKeyPem }, { writeBundle }] = await Promise.all([import('../pki/index.ts'), import('../ca/bundle-files.ts')]);
    await withRuntime(async (runtime, out) => {
      const keys = await generateKeyPair(o.keyAlgorithm);
      const actor = cliActor();
      const record = o.user
        ? await runtime.authority.issueForUser(await runtime.accounts.requireUser(o.user), o.label, keys.publicKey, actor)
        : await runtime.authority.issueCollective(await runtime.accounts.requireEstablishment(o.establishment!), o.label, keys.publicKey, actor);
      const files = writeBundle(o.out, runtime.pki, record, await exportPrivateKeyPem(keys.privateKey), p12Password, o.label);
      out.result(
        { serial: record.serial, sha256: record.fingerprintSha256, kind: record.kind, subject: record.subject, notAfter: new Date(record.notAfter).toISOString(), files, p12Password: o.p12PasswordStdin ? undefined : p12Password },
        [
          `serial:  ${record.serial}`,
          `sha256:  ${record.fingerprintSha256}`,
          `subject: ${record.subject}`,
          `valid until ${new Date(record.notAfter).toISOString()}`,
          `files in ${files.dir}: cert.pem key.pem chain.pem bundle.p12`,
          ...(o.p12PasswordStdin ? [] : [`PKCS#12 password: ${p12Password}`]),
        ],
      );
    }, { ca: true });
  });
cert
  .command('revoke <serial>')
  .description('revoke a certificate at once and publish a new CRL')
  .option('--reason <reason>', 'RFC 5280 reason: unspecified, keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn', 'unspecified')
  .action(async (serial: string, o: { reason: string }) => {
    await withRuntime(async (runtime, out) => {
      const record = await runtime.authority.revoke(serial, o.reason, cliActor());
      out.result({ serial: record.serial, status: record.status, reason: record.revocationReason, revokedAt: new Date(record.revokedAt!).toISOString() }, [`${record.serial} revoked (${record.revocationReason})`]);
    }, { ca: true });
  });

program
  .command('audit')
  .description('list the audit trail, newest first')
  .option('--action <action>', 'e.g. gateway.login, certificate.revoke')
  .option('--user <identifier>', 'events about this identifier')
  .option('--actor <actor>')
  .option('--app <app>', 'application id')
  .option('--ip <ip>')
  .option('--since <when>', 'ISO date or duration like 24h, 7d')
  .option('--until <when>', 'ISO date')
  .option('--limit <n>', 'at most n events', '50')
  .action(async (o: { action?: string; user?: string; actor?: string; app?: string; ip?: string; since?: string; until?: string; limit: string }) => {
    const limit = Number(o.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new BadRequestError('usage', '--limit must be a positive integer');
    await withRuntime(async (runtime, out) => {
      const now = runtime.clock.now().getTime();
      const events = await runtime.storage.audit.list({
        action: o.action,
        subject: o.user?.toLowerCase(),
        actor: o.actor,
        applicationId: o.app,
        ip: o.ip,
        since: o.since ? parseWhen(o.since, now) : undefined,
        until: o.until ? parseWhen(o.until, now) : undefined,
        limit,
      });
      out.result(events, formatAuditEvents(events));
    });
  });

(await import('./commands/approval.ts')).registerApprovalCommands(program, withRuntime);
(await import('./commands/tokens.ts')).registerTokenCommands(program, withRuntime);
(await import('./commands/registry.ts')).registerRegistryCommands(program, withRuntime);
(await import('./commands/legacy.ts')).registerLegacyCommands(program, withRuntime);
(await import('./commands/console.ts')).registerConsoleCommands(program, withRuntime);
(await import('./commands/people.ts')).registerPeopleCommands(program, withRuntime);
(await import('./commands/services.ts')).registerServicesCommands(program, withRuntime);
(await import('./commands/keys.ts')).registerKeyCommands(program, withRuntime);
(await import('./commands/backup.ts')).registerBackupCommand(program, output);
try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = reportFailure(error, Boolean(program.opts<{ json?: boolean }>().json));
}
