// One fixture for every spec: `page` is the editor, opened in Electron when its binary exists,
// otherwise in browser mode (the browser-mode server started on a random port with a fresh data
// folder, and Debian's Chromium driven by playwright-core).
import { test as base, _electron, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: a plain .mjs helper shared with scripts/start.mjs
import { electronBinary } from '../scripts/electronBinary.mjs';

import { launchChromium, REPO, startBrowserMode } from './launch';

export { REPO };
export const SAMPLES = resolve(REPO, '../shared/data/magicanimate-samples');
export const SCREENSHOTS = resolve(REPO, 'artifacts/screenshots');

export interface Studio {
  page: Page;
  mode: 'electron' | 'browser';
  dataDir: string;
  /** Saves a screenshot under artifacts/screenshots/<name>.png. */
  screenshot(name: string): Promise<void>;
}

export const test = base.extend<{ studio: Studio }>({
  studio: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mas-e2e-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    const electron = electronBinary(REPO) as string | null;
    const screenshot = (page: Page) => async (name: string) => {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
    };
    if (electron) {
      const app = await _electron.launch({ executablePath: electron, args: [REPO, `--data-dir=${dataDir}`] });
      const page = await app.firstWindow();
      await use({ page, mode: 'electron', dataDir, screenshot: screenshot(page) });
      await app.close();
    } else {
      const server = await startBrowserMode(dataDir);
      const browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('console', (msg) => {
        if (msg.type() === 'error') console.log(`[renderer] ${msg.text()}`);
      });
      await page.goto(server.url);
      await use({ page, mode: 'browser', dataDir, screenshot: screenshot(page) });
      await browser.close();
      server.child.kill();
    }
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
