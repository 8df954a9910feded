import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import type { Runtime } from '../core/runtime.ts';
import { exportPrivateKeyPem, generateKeyPair } from '../pki/index.ts';
import { READABLE_ALPHABET } from '../shared/random.ts';
import { verifyPassword } from '../authentication/password.ts';
import { writeBundle } from '../ca/bundle-files.ts';

export interface DemoData {
  identifier: string;
  password: string;
  /** Absent from demo data written before the console existed. */
  coordinator?: { identifier: string; password: string; p12: string; p12Password: string };
  personal: { p12: string; p12Password: string; serial: string };
  collective: { p12: string; p12Password: string; serial: string; label: string; establishment: string };
}

const ACTOR = { name: 'system:demo', ip: null };

/**
 * Development only: a clinician with a personal certificate and an establishment with a
 * collective one, written into <dataDir>/demo. Runs once; later starts reuse demo.json.
 */
export async function seedDemo(runtime: Runtime): Promise<DemoData> {
  const dir = path.join(runtime.config.dataDir, 'demo');
  const stateFile = path.join(dir, 'demo.json');
  if (existsSync(stateFile)) {
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as DemoData;
    const user = await runtime.storage.users.findByIdentifier(saved.identifier);
    if (user) {
      // A password changed since (first login, forgot password) is no longer printed as if it worked.
      const changed = '(changed since the demo was created: use yours)';
      if (!(await verifyPassword(user.passwordHash, saved.password))) saved.password = changed;
      const coordinator = saved.coordinator && (await runtime.storage.users.findByIdentifier(saved.coordinator.identifier));
      if (saved.coordinator && coordinator && !(await verifyPassword(coordinator.passwordHash, saved.coordinator.password))) saved.coordinator.password = changed;
      return saved;
    }
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { accounts, authority, random, pki, config } = runtime;
  const establishment = await accounts.createEstablishment({ name: 'Centre de réadaptation respiratoire (démo)', finess: null, referentEmail: 'referent.demo@example.org' }, ACTOR);
  const password = random.string(16, READABLE_ALPHABET);
  const { user } = await accounts.createUser({ givenName: 'Hélène', familyName: 'Lefèvre', email: 'helene.lefevre@example.org', establishmentId: establishment.id, password }, ACTOR);
  for (const app of config.applications) await accounts.addGrant(user.id, app.id, ACTOR);

  const personalKeys = await generateKeyPair('rsa-2048');
  const personal = await authority.issueForUser(user, 'Poste de démonstration', personalKeys.publicKey, ACTOR);
  const personalPassword = random.string(12, READABLE_ALPHABET);
  const personalFiles = writeBundle(path.join(dir, user.identifier), pki, personal, await exportPrivateKeyPem(personalKeys.privateKey), personalPassword, `${user.identifier} (démo)`);

  const label = 'Poste accueil — salle de soins';
  const collectiveKeys = await generateKeyPair('rsa-2048');
  const collective = await authority.issueCollective(establishment, label, collectiveKeys.publicKey, ACTOR);
  const collectivePassword = random.string(12, READABLE_ALPHABET);
  const collectiveFiles = writeBundle(path.join(dir, 'collectif'), pki, collective, await exportPrivateKeyPem(collectiveKeys.privateKey), collectivePassword, label);

  // A member of the coordination cell, for the console (console.localhost) and the admin API.
  const coordinatorPassword = random.string(16, READABLE_ALPHABET);
  const { user: coordinator } = await accounts.createUser({ givenName: 'Claire', familyName: 'Coordination', email: 'coordination.demo@example.org', role: 'coordinator', password: coordinatorPassword }, ACTOR);
  const coordinatorKeys = await generateKeyPair('rsa-2048');
  const coordinatorCert = await authority.issueForUser(coordinator, 'Poste de la cellule', coordinatorKeys.publicKey, ACTOR);
  const coordinatorP12Password = random.string(12, READABLE_ALPHABET);
  const coordinatorFiles = writeBundle(path.join(dir, coordinator.identifier), pki, coordinatorCert, await exportPrivateKeyPem(coordinatorKeys.privateKey), coordinatorP12Password, `${coordinator.identifier} (démo)`);

  const data: DemoData = {
    identifier: user.identifier,
    password,
    coordinator: { identifier: coordinator.identifier, password: coordinatorPassword, p12: coordinatorFiles.p12, p12Password: coordinatorP12Password },
    personal: { p12: personalFiles.p12, p12Password: personalPassword, serial: personal.serial },
    collective: { p12: collectiveFiles.p12, p12Password: collectivePassword, serial: collective.serial, label, establishment: establishment.name },
  };
  writeFileSync(stateFile, JSON.stringify(data, null, 2), { mode: 0o600 });
  writeFileSync(path.join(dir, 'CREDENTIALS.txt'), credentialsText(data), { mode: 0o600 });
  return data;
}

function credentialsText(d: DemoData): string {
  return [
    'Passerelle — comptes de démonstration (développement uniquement)',
    '',
    `Identifiant : ${d.identifier}`,
    `Mot de passe : ${d.password}`,
    '',
    `Certificat personnel : ${d.personal.p12}`,
    `  mot de passe du fichier .p12 : ${d.personal.p12Password}`,
    `Certificat collectif (${d.collective.establishment}, « ${d.collective.label} ») : ${d.collective.p12}`,
    `  mot de passe du fichier .p12 : ${d.collective.p12Password}`,
    '',
    ...(d.coordinator
      ? [`Cellule de coordination : ${d.coordinator.identifier}, mot de passe ${d.coordinator.password}`, `Certificat personnel : ${d.coordinator.p12}`, `  mot de passe du fichier .p12 : ${d.coordinator.p12Password}`, '']
      : []),
  ].join('\n');
}

export function demoInstructions(config: Config, d: DemoData, ports: { publicPort: number; gatewayPort: number }): string {
  const app = config.applications[0];
  const appUrl = app ? `https://${app.host}:${ports.gatewayPort}/` : '(no application configured)';
  const rootCa = path.join(config.pki.dir ?? path.join(config.dataDir, 'pki'), 'root-ca.pem');
  return [
    '',
    'Passerelle is running (development, demo data).',
    '',
    `  Public listener : https://localhost:${ports.publicPort}/   (help, JWKS, CRL, OCSP)`,
    `  Gateway         : ${appUrl}   (${app?.name ?? ''} through Passerelle)`,
    `  Demo upstream   : http://127.0.0.1:${config.demo.port}/   (OpenDRP démo, only reachable through the gateway with identity)`,
    '',
    `  Clinician       : ${d.identifier}  password ${d.password}`,
    `  Personal cert   : ${d.personal.p12}  (.p12 password ${d.personal.p12Password})`,
    `  Collective cert : ${d.collective.p12}  (.p12 password ${d.collective.p12Password})`,
    ...(d.coordinator
      ? [
          `  Coordinator     : ${d.coordinator.identifier}  password ${d.coordinator.password}  (console https://${config.console.host}:${ports.gatewayPort}/)`,
          `  Coordinator cert: ${d.coordinator.p12}  (.p12 password ${d.coordinator.p12Password})`,
        ]
      : []),
    `  Portal          : https://localhost:${ports.publicPort}/   (registration, sign-in, certificates, withdrawal at /retrait)`,
    config.smtp.url
      ? `  Mail            : sent through ${new URL(config.smtp.url).host} (SMTP_URL)`
      : `  Mail            : written as .eml files to ${path.join(config.dataDir, 'mail')} (set SMTP_URL to send)`,
    `  Stop            : Ctrl+C.  Start afresh: stop, delete ${config.dataDir}, npm start`,
    `  All of this is in ${path.join(config.dataDir, 'demo', 'CREDENTIALS.txt')}`,
    '',
    'In a browser:',
    `  1. Trust the dev root CA ${rootCa}`,
    '     Chromium: Settings › Privacy and security › Security › Manage certificates › Authorities › Import',
    '     Firefox:  Settings › Privacy & Security › Certificates › View Certificates › Authorities › Import',
    '  2. Import the personal .p12 (Your certificates › Import) with the password above.',
    `  3. Open ${appUrl}: the login form shows ${d.identifier}; type the password.`,
    '',
    'With curl:',
    `  curl --cacert ${rootCa} --cert-type P12 --cert ${d.personal.p12}:${d.personal.p12Password} ${appUrl}`,
    '',
  ].join('\n');
}
