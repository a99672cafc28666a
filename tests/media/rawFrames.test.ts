import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadImageRgb } from '../../src/main/media/image';
import { readSequenceFrames, readVideoFrames, sliceFrames } from '../../src/main/media/rawFrames';
import { build, ffmpeg, ffmpegFrameRgb, figureLine, imageRgb, meanAbsDiff, MONALISA, RUNNING, tempDir } from './corpus';

const ff = { bin: 'ffmpeg', version: null };
const tmp = tempDir('raw');
let tried = 0;
afterAll(() => {
  figureLine('rawFrames', tried, 0);
  tmp.cleanup();
});

async function collect(frames: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const f of frames) out.push(f);
  return out;
}

describe('raw RGB frames', () => {
  it('streams every frame of running.mp4 at native size, equal to ffmpeg’s own frame n', async () => {
    const frames = await collect(readVideoFrames(ff, RUNNING, { width: 512, height: 512, fit: 'stretch' }));
    expect(frames).toHaveLength(42);
    // Not bit-exact: we convert with accurate rounding and full chroma interpolation, the reference
    // extraction with swscale's defaults; the difference is chroma upsampling, ~1 level on average.
    for (const n of [0, 41]) expect(meanAbsDiff(frames[n], ffmpegFrameRgb(RUNNING, n, 512, 512))).toBeLessThan(1.5);
    tried += 1;
  });

  it('honours start/count and stops ffmpeg early', async () => {
    const some = await collect(readVideoFrames(ff, RUNNING, { width: 32, height: 32, fit: 'stretch', start: 40, count: 5 }));
    expect(some).toHaveLength(2); // only frames 40 and 41 exist
    const two = await collect(readVideoFrames(ff, RUNNING, { width: 32, height: 32, fit: 'stretch', start: 3, count: 2 }));
    expect(two).toHaveLength(2);
    tried += 1;
  });

  it('pads and crops a non-square clip to the target size', async () => {
    const odd = build.oddSize(tmp.dir); // 67×45
    const [padded] = await collect(readVideoFrames(ff, odd, { width: 64, height: 64, fit: 'pad', padColor: [68, 1, 84], count: 1 }));
    expect(padded.length).toBe(64 * 64 * 3);
    expect([...padded.subarray(0, 3)]).toEqual([68, 1, 84]); // top bar
    expect([...padded.subarray((64 * 63 + 32) * 3, (64 * 63 + 32) * 3 + 3)]).toEqual([68, 1, 84]); // bottom bar
    const [cropped] = await collect(readVideoFrames(ff, odd, { width: 64, height: 64, fit: 'crop', count: 1 }));
    expect(cropped.length).toBe(64 * 64 * 3);
    tried += 1;
  });

  it('reads a folder of numbered PNGs exactly', async () => {
    const dir = path.join(tmp.dir, 'seq');
    mkdirSync(dir);
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=48x32:rate=5', '-frames:v', '4', '-start_number', '0', path.join(dir, '%06d.png'));
    const frames = await collect(readSequenceFrames(ff, dir, { width: 48, height: 32, fit: 'stretch' }));
    expect(frames).toHaveLength(4);
    expect(meanAbsDiff(frames[3], imageRgb(path.join(dir, '000003.png')))).toBe(0);
    tried += 1;
  });

  it('slices arbitrary chunks into whole frames and rejects a torn last frame', async () => {
    async function* chunks(sizes: number[]) {
      let v = 0;
      for (const s of sizes) yield Uint8Array.from({ length: s }, () => v++ & 255);
    }
    const frames = await collect(sliceFrames(chunks([5, 1, 7, 11]), 6));
    expect(frames.map((f) => f[0])).toEqual([0, 6, 12, 18]);
    await expect(collect(sliceFrames(chunks([7]), 6))).rejects.toMatchObject({ code: 'corrupt_media' });
  });
});

describe('image loading', () => {
  it('keeps a solid RGB colour exact through scaling (planar RGB, no YUV round trip)', async () => {
    const file = path.join(tmp.dir, 'solid.png');
    ffmpeg('-f', 'lavfi', '-i', 'color=c=0xC81E5A:s=100x60,format=rgb24', '-frames:v', '1', file);
    expect([...imageRgb(file).subarray(0, 3)]).toEqual([200, 30, 90]);
    const rgb = await loadImageRgb(ff, file, { width: 64, height: 64, fit: 'stretch' });
    expect(rgb.length).toBe(64 * 64 * 3);
    const distinct = new Set<string>();
    for (let i = 0; i < rgb.length; i += 3) distinct.add(`${rgb[i]},${rgb[i + 1]},${rgb[i + 2]}`);
    expect([...distinct]).toEqual(['200,30,90']);
    tried += 1;
  });

  it('flattens alpha onto the chosen background and scales like a bicubic resize', async () => {
    const alpha = build.pngAlpha(tmp.dir);
    const onBlack = await loadImageRgb(ff, alpha, { width: 32, height: 16, fit: 'stretch', alphaBackground: [0, 0, 0] });
    expect([...onBlack.subarray(31 * 3, 32 * 3)]).toEqual([0, 0, 0]);
    const small = await loadImageRgb(ff, MONALISA, { width: 256, height: 256, fit: 'stretch' });
    const plain = new Uint8Array(ffmpeg('-i', MONALISA, '-vf', 'scale=256:256:flags=bicubic', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'));
    const diff = meanAbsDiff(small, plain);
    console.log(`[media:image] monalisa 512→256: mean |Δ| vs plain ffmpeg bicubic ${diff.toFixed(2)} levels`);
    expect(diff).toBeLessThan(3);
    tried += 2;
  });
});
