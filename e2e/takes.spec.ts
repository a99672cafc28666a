// Issue 12: a take rendered before the reference changed is marked outdated and shown beside its
// own inputs; removing it is undone with Ctrl+Z.
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, SAMPLES, test } from './fixtures';
import { dropFiles } from './helpers';

const RUNNING = join(SAMPLES, 'running.mp4');
const MONALISA = join(SAMPLES, 'monalisa.png');
const DALLE = join(SAMPLES, 'dalle2.jpeg');

async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const field = page.getByTestId(testId);
  await field.fill(String(value));
  await field.blur();
}

test('an outdated take is marked and shown with its own inputs; removing it is undoable', async ({ studio }) => {
  test.setTimeout(300_000);
  const { page } = studio;
  await dropFiles(page, page.getByTestId('track-motion'), [RUNNING]);
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
  await dropFiles(page, page.getByTestId('track-reference'), [MONALISA]);
  await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();
  const fix = page.getByTestId('fix-render.sizeModel');
  if (await fix.isVisible()) await fix.click();
  await setNumber(page, 'render-steps', 2);
  await setNumber(page, 'render-window', 8);
  await setNumber(page, 'render-overlap', 2);
  await page.getByTestId('viewer').click({ position: { x: 10, y: 200 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('i');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('o');
  await page.keyboard.press('Control+Enter');
  const take = page.getByTestId('take').first();
  await expect(take).toHaveAttribute('data-status', 'success', { timeout: 200_000 });
  await page.getByTestId('viewer-mode-sideBySide').click();
  const oldReference = await page.getByTestId('viewer-pane-reference').locator('img').getAttribute('src');
  await expect(page.getByTestId('take-outdated')).toBeHidden();

  await dropFiles(page, page.getByTestId('track-reference'), [DALLE]);
  await expect(page.getByTestId('take-outdated')).toBeVisible();
  await expect(page.getByTestId('take-outdated')).toContainText('reference photo changed');
  await expect(page.getByTestId('viewer-own-inputs')).toBeVisible();
  // Side by side still shows the photo the take was rendered from, not the new one.
  await expect(page.getByTestId('viewer-pane-reference').locator('img')).toHaveAttribute('src', oldReference ?? '');
  await studio.screenshot('outdated-take');

  await page.getByTestId('take-remove').click();
  await expect(page.getByTestId('take')).toHaveCount(0);
  await page.getByTestId('viewer').click({ position: { x: 10, y: 200 } });
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('take')).toHaveCount(1);
  await expect(page.getByTestId('take').first()).toHaveAttribute('data-status', 'success');
});
