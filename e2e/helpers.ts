// Helpers the specs share: dropping real files onto the editor, reading viewer pixels, and
// making media with ffmpeg.
import type { Locator, Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const MIME: Record<string, string> = {
  mp4: 'video/mp4',
  png: 'image/png',
  jpeg: 'image/jpeg',
  jpg: 'image/jpeg',
  wav: 'audio/wav',
  txt: 'text/plain',
};

/** Drops files from disk onto `target` the way a person drags them from a file manager. */
export async function dropFiles(page: Page, target: Locator, paths: string[]): Promise<void> {
  const files = paths.map((path) => ({
    name: basename(path),
    type: MIME[path.split('.').pop() ?? ''] ?? 'application/octet-stream',
    base64: readFileSync(path).toString('base64'),
  }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bytes], f.name, { type: f.type }));
    }
    return dt;
  }, files);
  await target.dispatchEvent('dragenter', { dataTransfer });
  await target.dispatchEvent('dragover', { dataTransfer });
  await target.dispatchEvent('drop', { dataTransfer });
}

/** RGB pixels of the image the viewer shows, at its natural size. */
export async function viewerPixels(page: Page): Promise<{ width: number; height: number; rgb: number[] }> {
  return page.getByTestId('viewer-frame').evaluate(async (img: HTMLImageElement) => {
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth;
    canvas.height = img.naturalHeight;
    const ctx = canvas.getContext('2d')!;
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
    const rgb: number[] = [];
    for (let i = 0; i < rgba.length; i += 4) rgb.push(rgba[i], rgba[i + 1], rgba[i + 2]);
    return { width: canvas.width, height: canvas.height, rgb };
  });
}

/** Frame `n` of a clip as ffmpeg decodes it, raw RGB24. */
export function ffmpegFrame(path: string, n: number): Buffer {
  return execFileSync('ffmpeg', ['-v', 'error', '-i', path, '-vf', `select=eq(n\\,${n})`, '-fps_mode', 'passthrough', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], {
    maxBuffer: 64 << 20,
  });
}

export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

export function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', ...args]);
}
