import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildVideoDecodeArgs, ensureFrameCache, frameFileName, readCacheEntry, THUMB_HEIGHT, type DecodeRequest } from '../../src/main/media/frameCache';
import { probeMedia } from '../../src/main/media/probe';
import { build, DEMO4, ffmpegFrameRgb, figureLine, imageRgb, meanAbsDiff, RUNNING, tempDir } from './corpus';

const tmp = tempDir('cache');
const cacheDir = path.join(tmp.dir, 'cache');
afterAll(() => tmp.cleanup());

async function decode(file: string, extra: Partial<DecodeRequest> = {}) {
  const details = await probeMedia('ffprobe', file);
  const { info } = details;
  return ensureFrameCache({
    ffmpegBin: 'ffmpeg',
    ffmpegVersion: { major: 5, minor: 1 },
    cacheDir,
    file,
    kind: info.kind === 'image' ? 'image' : 'video',
    width: info.width,
    height: info.height,
    expectedFrames: info.frameCount,
    hasAlpha: details.hasAlpha,
    ...extra,
  });
}

let checked = 0;
let worst = 0;
/** Cached frame n must be ffmpeg's frame n: closer to it than to its neighbours, within JPEG error. */
function expectFrameMatches(file: string, dir: string, n: number, last: number, size: [number, number]) {
  const cached = imageRgb(path.join(dir, 'frames', frameFileName(n)));
  const own = meanAbsDiff(cached, ffmpegFrameRgb(file, n, ...size));
  worst = Math.max(worst, own);
  checked += 1;
  expect(own).toBeLessThan(2.5);
  for (const m of [n - 1, n + 1].filter((k) => k >= 0 && k <= last)) {
    expect(own).toBeLessThan(meanAbsDiff(cached, ffmpegFrameRgb(file, m, ...size)));
  }
}

describe('frame cache', () => {
  afterAll(() => figureLine('frameCache', checked, 0, `worst mean |Δ| vs ffmpeg's own frame: ${worst.toFixed(3)} levels`));

  it('decodes running.mp4 once, frame-exact, with progress and thumbnails', async () => {
    const progress: number[] = [];
    const entry = await decode(RUNNING, { onProgress: (d, total) => progress.push(d / total) });
    expect(entry.frameCount).toBe(42);
    for (const n of [0, 1, 20, 41]) expectFrameMatches(RUNNING, entry.dir, n, 41, [512, 512]);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b)); // never goes backwards
    const thumb = imageRgb(path.join(entry.dir, 'thumbs', frameFileName(41)));
    expect(thumb.length).toBe(THUMB_HEIGHT * THUMB_HEIGHT * 3);
    expect(existsSync(path.join(entry.dir, 'frames', frameFileName(42)))).toBe(false);

    const marker = statSync(path.join(entry.dir, 'complete.json')).mtimeMs;
    const again = await decode(RUNNING, { onProgress: () => expect.fail('a complete cache must not be decoded again') });
    expect(again).toEqual(entry);
    expect(statSync(path.join(entry.dir, 'complete.json')).mtimeMs).toBe(marker);
  });

  it('redoes a half-decoded cache (no completion marker)', async () => {
    const entry = await decode(RUNNING);
    rmSync(path.join(entry.dir, 'complete.json'));
    rmSync(path.join(entry.dir, 'frames', frameFileName(30)));
    expect(await readCacheEntry(cacheDir, entry.id)).toBeNull();
    const redone = await decode(RUNNING);
    expect(redone.frameCount).toBe(42);
    expect(existsSync(path.join(redone.dir, 'frames', frameFileName(30)))).toBe(true);
  });

  it('keeps every frame of demo4.mp4, a VFR clip and an odd-sized clip', async () => {
    const demo = await decode(DEMO4);
    expect(demo.frameCount).toBe(107);
    expectFrameMatches(DEMO4, demo.dir, 106, 106, [512, 512]);
    const vfrFile = build.vfrClip(tmp.dir);
    const vfr = await decode(vfrFile);
    expect(vfr.frameCount).toBe(20); // passthrough: the timestamp gap neither drops nor duplicates
    expectFrameMatches(vfrFile, vfr.dir, 12, 19, [64, 48]);
    const odd = await decode(build.oddSize(tmp.dir));
    expect(odd.frameCount).toBe(6);
    expect(imageRgb(path.join(odd.dir, 'frames', frameFileName(5))).length).toBe(67 * 45 * 3);
  });

  it('normalises reference images: alpha flattened on white or black, 16-bit and CMYK to RGB24', async () => {
    const alphaFile = build.pngAlpha(tmp.dir);
    const white = imageRgb((await decode(alphaFile)).referencePath as string);
    expect([...white.subarray(0, 3)]).toEqual([255, 0, 0]); // opaque red stays red
    expect([...white.subarray(31 * 3, 32 * 3)]).toEqual([255, 255, 255]); // transparent → white, not its stored green
    rmSync(cacheDir, { recursive: true }); // same id, so decode afresh with the other background
    const black = imageRgb((await decode(alphaFile, { alphaBackground: [0, 0, 0] })).referencePath as string);
    expect([...black.subarray(31 * 3, 32 * 3)]).toEqual([0, 0, 0]);

    const deep = await decode(build.png16(tmp.dir));
    expect(readFileSync(deep.referencePath as string).subarray(24, 26)).toEqual(Buffer.from([8, 2])); // IHDR: 8-bit RGB
    const cmyk = imageRgb((await decode(build.cmykJpeg(tmp.dir))).referencePath as string);
    const [r, g, b] = cmyk.subarray(0, 3);
    const [r2, g2, b2] = cmyk.subarray(15 * 3, 16 * 3);
    expect(r > 240 && g < 15 && b < 15).toBe(true); // left block: magenta+yellow ink = red
    expect(b2 > 240 && r2 < 15 && g2 < 15).toBe(true); // right block: cyan+magenta ink = blue
    checked += 4;
  });

  it('builds frame-exact decode arguments for old and new ffmpeg', () => {
    expect(buildVideoDecodeArgs('in.mp4', '/c', { major: 6, minor: 0 })).toContain('-fps_mode');
    expect(buildVideoDecodeArgs('in.mp4', '/c', { major: 4, minor: 4 })).toContain('-vsync');
  });
});
