/** Establishment services and delegated administration (issue 15, seed 004). */
export { REGION, type AdminScope, type ServicesActor, type ServicesDeps } from './deps.ts';
export { inScope, outOfScope, personInScope, serviceInScope, establishmentInScope } from './scope.ts';
export { createService, updateService, deleteService, addMember, removeMember, grantToService, revokeFromService, readService, servicesClaim } from './services.ts';
export { addAdmin, removeAdmin, allowApplication, disallowApplication } from './delegation.ts';
export { establishmentSubject } from './audit.ts';
export { adminScopeOf } from './admins.ts';
export {
  administratorAction,
  confirmAdministratorAction,
  cancelAdministratorAction,
  pendingApprovals,
  isEstablishmentAction,
  type AdminActionOutcome,
  type EstablishmentApproval,
} from './four-eyes.ts';
