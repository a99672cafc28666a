// Issue "Model compiler" / "Editor workflow": the Model manager. Import the tiny checkpoint set by
// typing its folders, watch the progress, find the model in the list and in the render panel's
// Model select at the portrait size it was compiled for, picking it sets the render size, then
// remove it (after the confirmation) and see its folder gone.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, REPO, test } from './fixtures';

const TINY = resolve(REPO, '../shared/fixtures/magicanimate-tiny/tiny');
const SD15 = join(TINY, 'stable-diffusion-v1-5');
const VAE = join(TINY, 'sd-vae-ft-mse');

test('import the tiny checkpoints, see them listed and selectable, then remove them', async ({ studio }) => {
  test.setTimeout(180_000);
  const { page } = studio;
  await expect(page.getByTestId('render-model')).toHaveValue('demo', { timeout: 60_000 });
  await page.getByTestId('models-manage').click();
  const manager = page.getByTestId('model-manager');
  await expect(manager).toBeVisible();
  await expect(manager.locator('[data-testid="model-row"][data-id="demo"]')).toContainText('128×128 px');

  // A wrong folder is refused with the missing file named, before anything is compiled.
  await page.getByTestId('model-sd15').fill(VAE);
  await page.getByTestId('model-vae').fill(VAE);
  await page.getByTestId('model-magicanimate').fill(join(TINY, 'MagicAnimate'));
  await page.getByTestId('model-embedding').fill(join(TINY, 'text_embedding.safetensors'));
  await expect(page.getByTestId('model-import-start')).toBeDisabled();
  await page.getByTestId('model-name').fill('Tiny set');
  await page.getByTestId('model-import-start').click();
  await expect(page.getByTestId('model-error')).toContainText(join(VAE, 'unet', 'config.json'));

  // A size the UNet cannot take is explained before Import.
  await page.getByTestId('model-frame-size').fill('100x192');
  await expect(page.getByTestId('model-import-start')).toBeDisabled();
  await expect(manager).toContainText(/multiples of 64/);
  await page.getByTestId('model-frame-size').fill('128x192');
  await page.getByTestId('model-sd15').fill(SD15);
  await page.getByTestId('model-import-start').click();
  await expect(page.getByTestId('model-import-progress')).toBeVisible();
  await expect(page.getByTestId('model-import-outcome')).toHaveAttribute('data-kind', 'imported', { timeout: 90_000 });
  const row = manager.locator('[data-testid="model-row"][data-id="tiny-set"]');
  await expect(row).toContainText('Tiny set');
  await expect(row).toContainText('128×192 px');
  await expect(row).toContainText('fp32');
  await expect(row).toContainText(/\d+(\.\d+)? MB/);
  await expect(page.getByTestId('render-model').locator('option[value="tiny-set"]')).toHaveText('Tiny set');
  await studio.screenshot('14-model-manager');
  await page.getByTestId('model-manager').getByRole('button', { name: /close/i }).first().click();
  await page.getByTestId('render-model').selectOption('tiny-set');
  await expect(page.getByTestId('render-width')).toHaveValue('128');
  await expect(page.getByTestId('render-height')).toHaveValue('192');
  await page.getByTestId('models-manage').click();

  await row.getByTestId('model-remove').click();
  await expect(page.getByTestId('ask')).toContainText('Tiny set');
  await page.getByTestId('ask-confirm').click();
  await expect(row).toBeHidden();
  // The render panel still names the removed model, marked, and offers the demo instead.
  await page.getByTestId('model-manager').getByRole('button', { name: /close/i }).first().click();
  await expect(page.getByTestId('render-model').locator('option[value="tiny-set"]')).toHaveText('tiny-set (not installed)');
  await expect(page.getByTestId('render-blockers')).toContainText('"tiny-set" is not installed');
  await page.getByTestId('fix-render.modelMissing').click();
  await expect(page.getByTestId('render-model')).toHaveValue('demo');
  await expect(page.getByTestId('render-height')).toHaveValue('128');
  await expect(page.getByTestId('render-model').locator('option[value="tiny-set"]')).toHaveCount(0);
  await page.getByTestId('models-manage').click();
  expect(existsSync(join(studio.dataDir, 'models', 'tiny-set'))).toBe(false);
  await expect(manager.locator('[data-testid="model-row"][data-id="demo"]')).toBeVisible();
});
