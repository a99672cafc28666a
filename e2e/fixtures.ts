// One fixture for every spec: `page` is the editor, opened in Electron when its binary exists,
// otherwise in browser mode (the browser-mode server started on a random port with a fresh data
// folder, and Debian's Chromium driven by playwright-core).
import { test as base, chromium, _electron, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
// @ts-expect-error: a plain .mjs helper shared with scripts/start.mjs
import { electronBinary } from '../scripts/electronBinary.mjs';

export const REPO = resolve(import.meta.dirname, '..');
export const SAMPLES = resolve(REPO, '../shared/data/magicanimate-samples');
export const SCREENSHOTS = resolve(REPO, 'artifacts/screenshots');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// NOTE: as root Chromium needs --no-sandbox; the background-networking flags keep it quiet on a
// closed network.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

interface BrowserServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
}

async function startBrowserMode(dataDir: string): Promise<BrowserServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/server/main.ts', '--port', '0', '--no-open', '--data-dir', dataDir], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let log = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser-mode server did not start:\n${log}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`browser-mode server exited (${code}):\n${log}`)));
  });
  return { url, dataDir, child };
}

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
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
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
