import { Option, type Command } from 'commander';
import type { Runtime } from '../../core/runtime.ts';
import type { Output } from '../output.ts';
import { cliActor } from '../actor.ts';
import type { AccessRequestView, ApprovedCertificateRequest, CertificateRequestView, RegistrationView } from '../../approval/index.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const approval = () => import('../../approval/index.ts');
const fourEyes = () => import('../../console/four-eyes.ts');

/**
 * main.ts's `withRuntime`: opens the runtime, runs, closes. `{ ca: true }` for commands that sign or
 * revoke (the CA key is decrypted, the PKI passphrase is required); every other command opens the PKI
 * read-only and needs no passphrase.
 */
export type WithRuntime = <T>(fn: (runtime: Runtime, out: Output) => Promise<T>, options?: { ca?: boolean }) => Promise<T>;

function day(isoDate: string | null): string {
  return isoDate ? isoDate.slice(0, 16).replace('T', ' ') : '-';
}

function registrationLines(rows: RegistrationView[]): string[] {
  if (rows.length === 0) return ['(no registrations)'];
  return rows.flatMap((r) => [
    [r.id, r.status, `${r.givenName} ${r.familyName}`, r.email, r.profession ?? '', r.establishmentName ?? r.establishmentId ?? '', r.requestedApplication ? `app=${r.requestedApplication}` : '', day(r.createdAt)].filter(Boolean).join('  '),
    ...r.duplicates.map((d) => `    possible duplicate (${d.matches.join(', ')}): ${d.kind} ${d.identifier ?? d.id} ${d.givenName} ${d.familyName} [${d.status}]`),
  ]);
}

function certificateRequestLines(rows: CertificateRequestView[]): string[] {
  if (rows.length === 0) return ['(no certificate requests)'];
  return rows.map((r) =>
    [
      r.id,
      r.status,
      r.kind,
      r.holder ? r.holder.identifier : r.establishment ? `establishment ${r.establishment.name}` : '?',
      `"${r.label}"`,
      r.withdrawal ? `code ${r.withdrawal.status} until ${day(r.withdrawal.expiresAt)}` : '',
      r.certificateSerial ? `serial=${r.certificateSerial}` : '',
      day(r.createdAt),
    ]
      .filter(Boolean)
      .join('  '),
  );
}

function accessRequestLines(rows: AccessRequestView[]): string[] {
  if (rows.length === 0) return ['(no access requests)'];
  return rows.map((r) => [r.id, r.status, r.user?.identifier ?? '?', r.applicationName ?? r.applicationId, day(r.createdAt)].join('  '));
}

function approvedCertificateLines(a: ApprovedCertificateRequest): string[] {
  return [`${a.id} approved`, `withdrawal identifier: ${a.withdrawalIdentifier}`, `code valid until ${a.codeExpiresAt}`, `PDF and its password mailed (separately) to ${a.mailedTo}`];
}

/** `registration`, `cert-request` and `access-request`: the cell's decisions from a terminal. */
export function registerApprovalCommands(program: Command, withRuntime: WithRuntime): void {
  const registration = program.command('registration').description('registrations waiting for the coordination cell');
  registration
    .command('list')
    .description('list registrations (with possible duplicates)')
    .addOption(new Option('--status <status>').choices(['pending', 'approved', 'rejected', 'all']).default('pending'))
    .action(async (o: { status: 'pending' | 'approved' | 'rejected' | 'all' }) => {
      const { listRegistrations } = await approval();
      await withRuntime(async (runtime, out) => {
        const rows = await listRegistrations(runtime, o.status === 'all' ? undefined : o.status);
        out.result(rows, registrationLines(rows));
      });
    });
  registration
    .command('approve <id>')
    .description('create the account and mail its identifier and provisional password')
    .action(async (id: string) => {
      const { approveRegistration } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'registration.approve');
        const r = await approveRegistration(runtime, id, cliActor());
        out.result(r, [`${r.id} approved: account ${r.identifier}`, ...(r.accessRequestId ? [`access request ${r.accessRequestId} opened`] : [])]);
      });
    });
  registration
    .command('reject <id>')
    .description('reject; the reason is mailed to the person')
    .requiredOption('--reason <reason>')
    .action(async (id: string, o: { reason: string }) => {
      const { rejectRegistration } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'registration.reject');
        const r = await rejectRegistration(runtime, id, o.reason, cliActor());
        out.result(r, [`${r.id} rejected`]);
      });
    });

  const certRequest = program.command('cert-request').description('certificate requests');
  certRequest
    .command('list')
    .addOption(new Option('--status <status>').choices(['pending', 'approved', 'rejected', 'withdrawn', 'all']).default('pending'))
    .action(async (o: { status: 'pending' | 'approved' | 'rejected' | 'withdrawn' | 'all' }) => {
      const { listCertificateRequests } = await approval();
      await withRuntime(async (runtime, out) => {
        const rows = await listCertificateRequests(runtime, o.status === 'all' ? undefined : o.status);
        out.result(rows, certificateRequestLines(rows));
      });
    });
  certRequest
    .command('approve <id>')
    .description('approve: a withdrawal code is mailed in a password-protected PDF, the password in a second mail')
    .action(async (id: string) => {
      const { approveCertificateRequest } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.approve');
        const r = await approveCertificateRequest(runtime, id, cliActor());
        out.result(r, approvedCertificateLines(r));
      });
    });
  certRequest
    .command('reject <id>')
    .requiredOption('--reason <reason>')
    .action(async (id: string, o: { reason: string }) => {
      const { rejectCertificateRequest } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.reject');
        const r = await rejectCertificateRequest(runtime, id, o.reason, cliActor());
        out.result(r, [`${r.id} rejected`]);
      });
    });
  certRequest
    .command('new-code <id>')
    .description('issue a new withdrawal code for an approved request (the previous one stops working)')
    .action(async (id: string) => {
      const { reissueWithdrawalCode } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.new-code');
        const r = await reissueWithdrawalCode(runtime, id, cliActor());
        out.result(r, approvedCertificateLines(r));
      });
    });
  certRequest
    .command('create-collective')
    .description("request a collective certificate for an establishment's shared workstation")
    .requiredOption('--establishment <id>', 'establishment id or FINESS')
    .requiredOption('--label <label>', 'workstation label')
    .option('--approve', 'approve it at once (the code goes to the establishment referent)')
    .action(async (o: { establishment: string; label: string; approve?: boolean }) => {
      const { createCollectiveRequest } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        if (o.approve) refuseIfSecondApprovalNeeded(runtime.config, 'certificate-request.approve');
        const r = await createCollectiveRequest(runtime, { establishmentId: o.establishment, label: o.label, approve: Boolean(o.approve) }, cliActor());
        out.result(r, [`${r.id} collective request for "${r.label}": ${r.status}`, ...(r.approval ? approvedCertificateLines(r.approval).slice(1) : [])]);
      });
    });

  const accessRequest = program.command('access-request').description('application access requests');
  accessRequest
    .command('list')
    .addOption(new Option('--status <status>').choices(['pending', 'granted', 'rejected', 'all']).default('pending'))
    .action(async (o: { status: 'pending' | 'granted' | 'rejected' | 'all' }) => {
      const { listAccessRequests } = await approval();
      await withRuntime(async (runtime, out) => {
        const rows = await listAccessRequests(runtime, o.status === 'all' ? undefined : o.status);
        out.result(rows, accessRequestLines(rows));
      });
    });
  accessRequest
    .command('approve <id>')
    .description('grant access and tell the person')
    .action(async (id: string) => {
      const { approveAccessRequest } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'access-request.approve');
        const r = await approveAccessRequest(runtime, id, cliActor());
        out.result(r, [`${r.id} granted: ${r.applicationId}`]);
      });
    });
  accessRequest
    .command('reject <id>')
    .requiredOption('--reason <reason>')
    .action(async (id: string, o: { reason: string }) => {
      const { rejectAccessRequest } = await approval();
      const { refuseIfSecondApprovalNeeded } = await fourEyes();
      await withRuntime(async (runtime, out) => {
        refuseIfSecondApprovalNeeded(runtime.config, 'access-request.reject');
        const r = await rejectAccessRequest(runtime, id, o.reason, cliActor());
        out.result(r, [`${r.id} rejected`]);
      });
    });
}
