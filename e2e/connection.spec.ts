// Issue 12: a dead server is shown at once, with what to do, and the tab reconnects by itself when
// the server is started again on the same data folder (same port and token, from server.json).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SAMPLES, SCREENSHOTS } from './fixtures';
import { dropFiles } from './helpers';
import { launchChromium, startBrowserMode, type BrowserServer } from './launch';

const RUNNING = join(SAMPLES, 'running.mp4');
const MONALISA = join(SAMPLES, 'monalisa.png');

const portOf = (url: string) => new URL(url).port;

function kill(server: BrowserServer): Promise<void> {
  return new Promise((done) => {
    server.child.once('exit', () => done());
    server.child.kill('SIGKILL'); // as a crash or a closed terminal would: no goodbye on the socket
  });
}

test('the lost server is shown at once and the tab reconnects when it is back on the same port', async () => {
  test.setTimeout(180_000);
  const dataDir = mkdtempSync(join(tmpdir(), 'mas-e2e-conn-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  let server = await startBrowserMode(dataDir, []);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    await dropFiles(page, page.getByTestId('track-motion'), [RUNNING]);
    await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
    await expect(page.getByTestId('activity')).toContainText('Ready');
    await expect(page.getByTestId('connection-lost')).toBeHidden();

    const firstPort = portOf(server.url);
    const killedAt = Date.now();
    await kill(server);
    const banner = page.getByTestId('connection-lost');
    await expect(banner).toBeVisible({ timeout: 3000 });
    console.log(`connection loss shown ${Date.now() - killedAt} ms after the server was killed`);
    await expect(banner).toContainText('Lost the connection to the studio server');
    await expect(banner).toContainText('npm start');
    await expect(page.getByTestId('activity')).toContainText('Disconnected');
    await expect(page.getByTestId('activity')).not.toContainText('Ready');
    await page.screenshot({ path: join(SCREENSHOTS, 'connection-lost.png') });

    server = await startBrowserMode(dataDir, []);
    expect(portOf(server.url)).toBe(firstPort); // the open tab's address still works
    await expect(banner).toBeHidden({ timeout: 10_000 });
    await expect(page.getByTestId('activity')).toContainText('Ready');
    await expect(page.getByTestId('notice').filter({ hasText: 'Connected again' })).toBeVisible();
    // And it works: an import after the restart goes through the new server.
    await dropFiles(page, page.getByTestId('track-reference'), [MONALISA]);
    await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();
    await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
    await page.screenshot({ path: join(SCREENSHOTS, 'connection-back.png') });
  } finally {
    await browser.close();
    server.child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
