import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The CLI started by tests runs the TypeScript sources, never a dist/ build (bin/passerelle.js).
    env: { PASSERELLE_COMPILED: '0' },
    // Chooses the browser tests' Chromium once per run (test/helpers/browser.ts); starts a
    // throw-away PostgreSQL when DATABASE_URL is not set (test/helpers/postgres-setup.ts).
    globalSetup: ['test/helpers/chromium-setup.ts', 'test/helpers/postgres-setup.ts'],
  },
});
