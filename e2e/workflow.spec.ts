// Issue "Editor workflow": render panel, live output track, viewer modes, export, projects. The whole
// flow on the real sample files with the demo model, small and short so it fits two CPU cores.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, SAMPLES, test } from './fixtures';
import { dropFiles, ffmpeg } from './helpers';

const RUNNING = join(SAMPLES, 'running.mp4');
const MONALISA = join(SAMPLES, 'monalisa.png');
const RENDER_TIMEOUT = 150_000;

async function setNumber(page: Page, testId: string, value: number): Promise<void> {
  const field = page.getByTestId(testId);
  await field.fill(String(value));
  await field.blur();
  await expect(field).toHaveValue(String(value));
}

/** Marks frames [0, last] with the keyboard (I at 0, O at `last`). */
async function markRange(page: Page, last: number): Promise<void> {
  await page.getByTestId('viewer').click({ position: { x: 10, y: 200 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('i');
  for (let i = 0; i < last; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('o');
  await expect(page.getByTestId('render-range')).toContainText(`0–${last}`);
}

function probe(file: string): { frames: number; fps: string; audio: boolean } {
  const out = execFileSync('ffprobe', ['-v', 'error', '-count_frames', '-show_entries', 'stream=codec_type,nb_read_frames,r_frame_rate', '-of', 'json', file]).toString();
  const streams = (JSON.parse(out) as { streams: { codec_type: string; nb_read_frames?: string; r_frame_rate?: string }[] }).streams;
  const video = streams.find((s) => s.codec_type === 'video');
  return { frames: Number(video?.nb_read_frames ?? 0), fps: video?.r_frame_rate ?? '', audio: streams.some((s) => s.codec_type === 'audio') };
}

test('render, watch it stream, cancel, export with audio, save and reopen', async ({ studio }) => {
  test.setTimeout(480_000);
  const { page } = studio;
  await dropFiles(page, page.getByTestId('track-motion'), [RUNNING]);
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
  await dropFiles(page, page.getByTestId('track-reference'), [MONALISA]);
  await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();

  // Settings: demo model, 128², 4 steps, windows 8/2 over frames 0–23.
  await expect(page.getByTestId('render-model')).toHaveValue('demo');
  // The demo renders at 128² only: the panel says so and offers the fix.
  await setNumber(page, 'render-width', 512);
  await expect(page.getByTestId('render-blockers')).toContainText(/renders at 128×128/);
  await page.getByTestId('fix-render.sizeModel').click();
  await expect(page.getByTestId('render-width')).toHaveValue('128');
  await expect(page.getByTestId('render-height')).toHaveValue('128');
  await setNumber(page, 'render-steps', 4);
  await setNumber(page, 'render-window', 8);
  await setNumber(page, 'render-overlap', 8);
  // An invalid combination is explained before Render, and Render is disabled.
  await expect(page.getByTestId('render-blockers')).toContainText(/overlap \(8\) must be smaller than the window \(8\)/i);
  await expect(page.getByTestId('render-button')).toBeDisabled();
  await setNumber(page, 'render-overlap', 2);
  await expect(page.getByTestId('render-blockers')).toBeHidden();
  await markRange(page, 23);
  // Open windows of 8 with overlap 2 over 24 frames start at 0, 6, 12 and 16.
  await expect(page.getByTestId('windows-overlay')).toHaveAttribute('data-count', '4');

  await page.keyboard.press('Control+Enter');
  const first = page.getByTestId('take').first();
  await expect(first).toHaveAttribute('data-status', 'running');
  // A final segment is on the output track while the render is still running.
  const finalSegment = page.locator('[data-testid="output-segment"][data-kind="final"]').first();
  await expect(finalSegment).toBeVisible({ timeout: RENDER_TIMEOUT });
  await expect(first).toHaveAttribute('data-status', 'running');
  await expect(page.getByTestId('render-progress')).toBeVisible();
  await studio.screenshot('10-mid-render');

  // Scrubbing stays responsive mid-render: each step shows within a fraction of a second.
  await page.getByTestId('viewer').click({ position: { x: 10, y: 200 } });
  await page.keyboard.press('Home');
  const started = Date.now();
  for (let frame = 1; frame <= 5; frame++) {
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', String(frame), { timeout: 2000 });
  }
  const scrubMs = Date.now() - started;
  console.log(`5 frame steps mid-render took ${scrubMs} ms`);
  expect(scrubMs).toBeLessThan(5000);

  await expect(first).toHaveAttribute('data-status', 'success', { timeout: RENDER_TIMEOUT });
  const finals = page.locator('[data-testid="output-segment"][data-kind="final"]');
  await expect(finals).toHaveCount(1);
  await expect(finals.first()).toHaveAttribute('data-start', '0');
  await expect(finals.first()).toHaveAttribute('data-end', '24');
  await expect(page.getByTestId('notice').filter({ hasText: /finished/ })).toBeVisible();

  // A second render, cancelled: it stops and can be resumed.
  await page.getByTestId('seed-shuffle').click();
  await page.getByTestId('render-button').click();
  const second = page.getByTestId('take').nth(1);
  await expect(second).toHaveAttribute('data-status', 'running');
  await expect(second.getByTestId('render-progress')).toBeVisible({ timeout: RENDER_TIMEOUT });
  await second.getByTestId('render-cancel').click();
  await expect(second).toHaveAttribute('data-status', 'aborted', { timeout: 60_000 });
  await expect(second.getByTestId('render-resume')).toBeVisible();

  // Back to the finished take; the side-by-side viewer shows reference | DensePose | output.
  await first.locator('.take-select').click();
  await page.getByTestId('viewer-mode-sideBySide').click();
  await page.getByTestId('viewer').click({ position: { x: 10, y: 300 } });
  await page.keyboard.press('Home');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  const outputPane = page.getByTestId('viewer-pane-output');
  await expect(outputPane).toHaveAttribute('data-kind', 'final');
  await expect.poll(() => outputPane.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(128);
  await studio.screenshot('11-side-by-side');

  // Export MP4 with an added audio track.
  const dir = mkdtempSync(join(tmpdir(), 'mas-workflow-'));
  const tone = join(dir, 'tone.wav');
  ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=330:duration=3', tone]);
  await dropFiles(page, page.getByTestId('track-audio'), [tone]);
  await expect(page.getByTestId('waveform')).toBeVisible();
  await page.keyboard.press('Control+e');
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByTestId('export-format-mp4').click();
  await dialog.getByTestId('export-audio').selectOption('file');
  await dialog.getByTestId('export-range').selectOption('all');
  const outPath = await dialog.getByTestId('export-path').inputValue();
  expect(outPath).toMatch(/\.mp4$/);
  await studio.screenshot('12-export-dialog');
  await dialog.getByTestId('export-start').click();
  await expect(page.getByTestId('show-in-folder')).toBeVisible({ timeout: 120_000 });
  expect(existsSync(outPath)).toBe(true);
  const probed = probe(outPath);
  console.log(`export: ${JSON.stringify(probed)}`);
  expect(probed.frames).toBe(24);
  expect(probed.fps).toBe('25/1');
  expect(probed.audio).toBe(true);
  await page.keyboard.press('Escape');

  // Save, close (reload) and reopen: inputs, settings, takes and the playhead come back.
  await page.getByTestId('viewer').click({ position: { x: 10, y: 300 } });
  await page.keyboard.press('Home');
  for (let i = 0; i < 7; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+s');
  const projectPath = join(studio.dataDir, 'projects', 'workflow.maproj');
  await page.getByTestId('ask-path').fill(projectPath);
  await page.getByTestId('ask-ok').click();
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
  await expect.poll(() => existsSync(projectPath)).toBe(true);

  await page.reload();
  await expect(page.getByTestId('track-motion')).toBeVisible();
  await page.keyboard.press('Control+Shift+O');
  await expect(page.getByTestId('ask-path')).toHaveValue(projectPath);
  await page.getByTestId('ask-ok').click();
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
  await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();
  await expect(page.getByTestId('render-window')).toHaveValue('8');
  await expect(page.getByTestId('render-overlap')).toHaveValue('2');
  await expect(page.getByTestId('render-width')).toHaveValue('128');
  await expect(page.getByTestId('take')).toHaveCount(2);
  await expect(page.getByTestId('take').nth(0)).toHaveAttribute('data-status', 'success');
  await expect(page.getByTestId('take').nth(1)).toHaveAttribute('data-status', 'aborted');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '7');
  await expect(page.locator('[data-testid="output-segment"][data-kind="final"]').first()).toHaveAttribute('data-end', '24');
});

test('first start opens the demo project; setting edits undo and redo', async ({ studio }) => {
  test.setTimeout(300_000);
  const { page } = studio;
  // The demo content and model are made on first use; the status line shows the progress.
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', /^[1-9]\d*$/, { timeout: 240_000 });
  await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();
  await expect(page.getByTestId('project-title')).not.toContainText('Untitled');
  await expect(page.getByTestId('render-blockers')).toBeHidden();

  const steps = page.getByTestId('render-steps');
  const before = await steps.inputValue();
  await steps.fill('7');
  await steps.blur();
  await page.getByTestId('viewer').click({ position: { x: 10, y: 200 } });
  await page.keyboard.press('Control+z');
  await expect(steps).toHaveValue(before);
  await page.keyboard.press('Control+y');
  await expect(steps).toHaveValue('7');
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');

  // Every new string has its Japanese.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('ja');
  await expect(page.getByTestId('render-button')).toContainText('レンダリング');
  await expect(page.getByTestId('viewer-mode-sideBySide')).toHaveText('並べて表示');
  await studio.screenshot('13-demo-ja');
  await page.locator('select.language-select').selectOption('en');

  // The window goes away with those edits unsaved (the person confirms leaving); the next start
  // offers them back from the autosave, and a save ends the offer.
  const autosaves = join(studio.dataDir, 'autosave');
  await expect.poll(() => (existsSync(autosaves) ? readdirSync(autosaves).filter((n) => !n.endsWith('.origin.json')) : []), { timeout: 15_000 }).toHaveLength(1);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByTestId('ask')).toContainText('Restore unsaved work?');
  await studio.screenshot('14-recover-unsaved');
  await page.getByTestId('ask-confirm').click();
  await expect(steps).toHaveValue('7');
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', /^[1-9]\d*$/);
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'true');
  await page.keyboard.press('Control+s');
  await page.getByTestId('ask-ok').click(); // browser mode: the suggested path
  await expect(page.getByTestId('project-title')).toHaveAttribute('data-dirty', 'false');
  const projectAutosaves = () => readdirSync(autosaves).filter((n) => n.endsWith('.json'));
  await expect.poll(projectAutosaves).toEqual([]);
  await page.reload();
  await expect(page.getByTestId('project-title')).toBeVisible();
  await page.waitForTimeout(1000); // the start's recovery check has answered by now
  await expect(page.getByTestId('ask')).toBeHidden();
});
