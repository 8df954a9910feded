import type { Command } from 'commander';
import { cliActor } from '../actor.ts';
import type { WithRuntime } from './approval.ts';

// The domain is imported when a command runs, not when it is registered: `passerelle --help` stays fast.
const servicesDomain = () => import('../../services/index.ts');

/**
 * `services …` and `establishment …`: the cell's side of establishment services and
 * delegation from a terminal (the same audited operations as the console and the API).
 * Establishments are given by id or FINESS, people by id or identifier.
 */
export function registerServicesCommands(program: Command, withRuntime: WithRuntime): void {
  const services = program.command('services').description("an establishment's services: members and the applications they open");
  services
    .command('list <establishment>')
    .description('the services of an establishment, their members and applications')
    .action(async (establishment: string) => {
      await withRuntime(async (runtime, out) => {
        const e = await runtime.accounts.requireEstablishment(establishment);
        const list = await runtime.storage.services.listByEstablishment(e.id);
        out.result({ services: list }, list.length ? list.map((s) => `${s.id}  ${s.name}${s.code ? ` [${s.code}]` : ''}  ${s.members} member(s)  ${s.applications.join(',') || '-'}`) : ['(no service)']);
      });
    });
  services
    .command('create <establishment> <name>')
    .option('--code <code>', 'a short code sent to applications (letters, digits, _ . -)')
    .action(async (establishment: string, name: string, o: { code?: string }) => {
      const { createService, REGION } = await servicesDomain();
      await withRuntime(async (runtime, out) => {
        const e = await runtime.accounts.requireEstablishment(establishment);
        const s = await createService(runtime, REGION, e.id, { name, code: o.code }, cliActor());
        out.result(s, [`service ${s.name} created (${s.id})`]);
      });
    });
  services.command('delete <service>').action(async (id: string) => {
    const { deleteService, REGION } = await servicesDomain();
    await withRuntime(async (runtime, out) => {
      const r = await deleteService(runtime, REGION, id, cliActor());
      out.result(r, [`service ${r.id} deleted (${r.members} member(s) detached)`]);
    });
  });
  const pair = (name: string, description: string, run: (runtime: Parameters<Parameters<WithRuntime>[0]>[0], a: string, b: string) => Promise<unknown>, done: (a: string, b: string) => string) =>
    services
      .command(`${name} <service> <${name.includes('member') ? 'person' : 'application'}>`)
      .description(description)
      .action(async (a: string, b: string) => {
        await withRuntime(async (runtime, out) => {
          const result = await run(runtime, a, b);
          out.result(result ?? { ok: true }, [done(a, b)]);
        });
      });
  pair('add-member', 'attach a person of the establishment to the service', async (rt, s, p) => (await servicesDomain()).addMember(rt, (await servicesDomain()).REGION, s, p, cliActor()), (s, p) => `${p} added to ${s}`);
  pair('remove-member', 'detach a person: what the service gave them stops at their next request', async (rt, s, p) => (await servicesDomain()).removeMember(rt, (await servicesDomain()).REGION, s, p, cliActor()), (s, p) => `${p} removed from ${s}`);
  pair('grant', 'open an application to the service (one the establishment is allowed to grant)', async (rt, s, a) => (await servicesDomain()).grantToService(rt, (await servicesDomain()).REGION, s, a, cliActor()), (s, a) => `${a} granted to ${s}`);
  pair('revoke', 'close an application to the service', async (rt, s, a) => (await servicesDomain()).revokeFromService(rt, (await servicesDomain()).REGION, s, a, cliActor()), (s, a) => `${a} revoked from ${s}`);

  // `establishment create` is declared in main.ts: the delegation commands join the same group.
  const establishment = program.commands.find((command) => command.name() === 'establishment') ?? program.command('establishment');
  establishment.description('establishments, and what the cell delegates to each');
  const delegate = (name: string, arg: string, description: string, run: (d: Awaited<ReturnType<typeof servicesDomain>>) => (rt: Parameters<Parameters<WithRuntime>[0]>[0], e: string, x: string) => Promise<unknown>) =>
    establishment
      .command(`${name} <establishment> <${arg}>`)
      .description(description)
      .action(async (e: string, x: string) => {
        const domain = await servicesDomain();
        await withRuntime(async (runtime, out) => {
          const id = (await runtime.accounts.requireEstablishment(e)).id;
          const result = await run(domain)(runtime, id, x);
          out.result(result ?? { ok: true }, [`${name} ${x}: done`]);
        });
      });
  delegate('add-admin', 'person', 'make a person of the establishment its administrator', (d) => (rt, e, p) => d.addAdmin(rt, d.REGION, e, p, cliActor()));
  delegate('remove-admin', 'person', 'withdraw the administrator role', (d) => (rt, e, p) => d.removeAdmin(rt, d.REGION, e, p, cliActor()));
  delegate('allow', 'application', "let the establishment grant an application to its services", (d) => (rt, e, a) => d.allowApplication(rt, d.REGION, e, a, cliActor()));
  delegate('disallow', 'application', "withdraw it: its services' grants of it stop at once", (d) => (rt, e, a) => d.disallowApplication(rt, d.REGION, e, a, cliActor()));
}
