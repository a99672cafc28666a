import { defineConfig } from '@playwright/test';

// E2E runs against Electron when its binary exists, else browser mode in Debian's Chromium
// (e2e/fixtures.ts decides). Playwright's own browser download is never used.
export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 20_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: { viewport: { width: 1440, height: 900 }, trace: 'off' },
});
