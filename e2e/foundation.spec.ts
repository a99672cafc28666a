// Issue "Foundation": the editor opens, imports media and scrubs DensePose frames.
import { copyFileSync, mkdtempSync, readFileSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, SAMPLES, test } from './fixtures';
import { dropFiles, ffmpeg, ffmpegFrame, meanAbsDiff, viewerPixels } from './helpers';

const RUNNING = join(SAMPLES, 'running.mp4');
const MONALISA = join(SAMPLES, 'monalisa.png');

test('the empty editor shows an empty timeline', async ({ studio }) => {
  const { page } = studio;
  await expect(page.getByTestId('track-motion')).toBeVisible();
  await expect(page.getByTestId('track-reference')).toBeVisible();
  await expect(page.getByTestId('track-audio')).toBeVisible();
  await expect(page.getByTestId('track-output')).toBeVisible();
  await studio.screenshot('01-empty');
});

test('dropping running.mp4 and monalisa.png scrubs the real frames', async ({ studio }) => {
  const { page } = studio;
  await dropFiles(page, page.getByTestId('track-motion'), [RUNNING]);
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
  await dropFiles(page, page.getByTestId('track-reference'), [MONALISA]);
  await expect(page.getByTestId('track-reference').locator('img').first()).toBeVisible();

  // Seek to frame 20 with the keyboard: End, then exact steps back.
  await page.getByTestId('viewer').click();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '0');
  await page.keyboard.press('Shift+ArrowRight');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '20');
  await expect(page.getByTestId('viewer-frame')).toHaveAttribute('src', /\/20\b|000020/);

  const shown = await viewerPixels(page);
  expect(shown.width).toBe(512);
  const truth = ffmpegFrame(RUNNING, 20);
  const diff = meanAbsDiff(shown.rgb, truth);
  const neighbour = meanAbsDiff(shown.rgb, ffmpegFrame(RUNNING, 21));
  console.log(`frame 20: mean |viewer - ffmpeg| = ${diff.toFixed(3)} (vs frame 21: ${neighbour.toFixed(3)})`);
  expect(diff).toBeLessThan(2.5);
  expect(diff).toBeLessThan(neighbour);

  // The arrow keys move exactly one frame.
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '21');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '19');
  await page.keyboard.press('End');
  await expect(page.getByTestId('viewer')).toHaveAttribute('data-frame', '41');
  await studio.screenshot('02-imported');
});

test('a clip with audio shows a waveform', async ({ studio }) => {
  const { page } = studio;
  const dir = mkdtempSync(join(tmpdir(), 'mas-audio-'));
  const clip = join(dir, 'with-audio.mp4');
  ffmpeg(['-f', 'lavfi', '-i', 'testsrc=size=256x256:rate=25:duration=2', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=2',
    '-c:v', 'libx264', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip]);
  await dropFiles(page, page.getByTestId('track-motion'), [clip]);
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '50');
  const waveform = page.getByTestId('waveform');
  await expect(waveform).toHaveAttribute('data-peaks', /[1-9]/);
  await studio.screenshot('03-waveform');
});

test('bad files give clear errors and leave the project as it was', async ({ studio }) => {
  const { page } = studio;
  await dropFiles(page, page.getByTestId('track-motion'), [RUNNING]);
  await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');

  const dir = mkdtempSync(join(tmpdir(), 'mas-bad-'));
  const text = join(dir, 'notes.txt');
  writeFileSync(text, 'this is not a video\n');
  const empty = join(dir, 'empty.mp4');
  writeFileSync(empty, '');
  const truncated = join(dir, 'truncated.mp4');
  copyFileSync(RUNNING, truncated);
  truncateSync(truncated, Math.floor(statSync(RUNNING).size / 3));
  expect(readFileSync(truncated).length).toBeGreaterThan(0);

  for (const [file, pattern] of [
    [text, /not .*(video|media|image|audio)|unsupported|format/i],
    [empty, /empty|zero|0 bytes/i],
    [truncated, /truncated|corrupt|damaged|incomplete/i],
  ] as const) {
    await dropFiles(page, page.getByTestId('track-motion'), [file]);
    const error = page.getByTestId('error');
    await expect(error).toBeVisible();
    await expect(error).toContainText(pattern);
    await expect(page.getByTestId('track-motion')).toHaveAttribute('data-frame-count', '42');
    await error.getByRole('button').first().click();
    await expect(error).toBeHidden();
  }
  await studio.screenshot('04-error-dismissed');
});
