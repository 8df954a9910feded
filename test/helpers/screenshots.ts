import { fileURLToPath } from 'node:url';

/**
 * Where browser tests save their screenshots: the README's docs/screenshots/ only when asked
 * (`npm run screenshots`), otherwise an ignored folder, so `npm test` never changes tracked files.
 */
export const SCREENSHOTS = fileURLToPath(new URL(process.env.UPDATE_SCREENSHOTS === '1' ? '../../docs/screenshots/' : '../../var/test-screenshots/', import.meta.url));
