/** Legacy identifiers (issue 5, DESIGN journey 9): first use, migration period, cut-over. See README.md here. */
export type { CredentialCheck, LegacyActor, LegacyApplication, LegacyDeps, LegacySettings } from './types.ts';
export { cleanLegacyUsername, hasLegacy, legacyApplications, legacyKey, requireLegacyApplication } from './settings.ts';
export { hashScheme, verifyLegacyHash, type HashScheme } from './hashes.ts';
export { parseCsv } from './csv.ts';
export { importLegacyAccounts, type ImportOptions, type ImportReport, type RejectedRow } from './import.ts';
export { checkLegacyCredentials } from './verifier.ts';
export { checkWithLockout, type GuardedCheck, type LegacyContext } from './credentials.ts';
export { applicationCutOver, declareNewUser, firstUseState, signInWithLegacy, type FirstUseState, type LegacySignInResult, type SignInAttempt } from './first-use.ts';
export { legacyPortalLogin, type LegacyPortalResult } from './portal.ts';
export { cutOverApplication, cutOverUser, type CutOverReport } from './cut-over.ts';
export { getConflict, listConflicts, resolveConflict, unlockLegacyIdentifier, type ConflictView } from './administration.ts';
export { legacyProgress, legacyUsernameFor, listLocks, listMappings, mappingsOfUser, type LegacyProgress, type MappingView } from './progress.ts';
