export { MigrationOverviewPage, type MigrationOverviewProps } from './overview.tsx';
export { ApplicationMappingsPage, PersonMappingsPage, type ApplicationMappingsProps, type PersonMappingsProps } from './mappings.tsx';
export { MigrationConfirmPage, MigrationErrorPage, type MigrationConfirmProps, type MigrationErrorProps } from './confirm.tsx';
export type { MigrationPageBase } from './parts.tsx';
