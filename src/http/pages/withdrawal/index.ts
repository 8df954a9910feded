export { WITHDRAWAL_SCRIPT, WithdrawalPage, type WithdrawalPageProps } from './withdrawal-page.tsx';
export { RenewalCollectivePage, RenewalPage, type RenewalPageProps } from './renewal-page.tsx';
export { P12_PASSWORD_MIN } from './parts.tsx';
