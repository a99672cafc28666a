// The Pillow-exact resampler against Pillow's own output: the committed pairs made by
// scripts/testdata/pilResizePairs.py, and detectron2's ResizeShortestEdge output in the DensePose
// fixture (PIL BILINEAR on the BGR photo).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { axisPlan, resizeRgb, type PilFilter, type ResizeBox } from '../../src/main/images/resample';
import { levelDiff, readTensorFile, SHARED, tensor } from './tensorFile';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');

interface PairCase {
  name: string;
  width: number;
  height: number;
  channels: number;
  outWidth: number;
  outHeight: number;
  filter: PilFilter;
  box: ResizeBox | null;
}

const meta = JSON.parse(readFileSync(join(DATA, 'pil_resize_pairs.json'), 'utf8')) as { pillow: string; cases: PairCase[] };
const pairs = readTensorFile(join(DATA, 'pil_resize_pairs.safetensors'));

describe(`resizeRgb equals Pillow ${meta.pillow} Image.resize`, () => {
  it.each(meta.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const src = tensor(pairs, `${c.name}.src`).data as Uint8Array;
    const want = tensor(pairs, `${c.name}.out`).data as Uint8Array;
    const got = resizeRgb(src, c.width, c.height, c.channels, c.outWidth, c.outHeight, c.filter, c.box ?? undefined);
    const diff = levelDiff(got, want, c.channels);
    expect(diff, `${c.width}x${c.height} → ${c.outWidth}x${c.outHeight} ${c.filter}`).toMatchObject({ differing: 0 });
  });

  it('the pairs exercise clamping (bicubic overshoot past 0 and 255) and every filter', () => {
    const filters = new Set(meta.cases.map((c) => c.filter));
    expect([...filters].sort()).toEqual(['bicubic', 'bilinear', 'box']);
    const plan = axisPlan(37, 0, 37, 16, 'bicubic');
    expect(Math.min(...plan.coeffs)).toBeLessThan(0);
  });
});

describe('axisPlan (Pillow precompute_coeffs)', () => {
  it('widens the support by the downscale factor and keeps coefficients summing to 2^22 ± rounding', () => {
    const up = axisPlan(10, 0, 10, 20, 'bicubic');
    const down = axisPlan(40, 0, 40, 10, 'bicubic');
    expect(up.stride).toBe(5);
    expect(down.stride).toBe(2 * 8 + 1);
    for (const plan of [up, down]) {
      for (let i = 0; i < plan.first.length; i++) {
        let sum = 0;
        for (let t = 0; t < plan.count[i]; t++) sum += plan.coeffs[i * plan.stride + t];
        expect(Math.abs(sum - (1 << 22))).toBeLessThanOrEqual(plan.count[i]);
      }
    }
  });
});

describe('resizeRgb arguments', () => {
  const px = new Uint8Array(4 * 3 * 3);
  it('returns a copy when nothing changes', () => {
    const out = resizeRgb(px, 4, 3, 3, 4, 3, 'bicubic');
    expect(out).toEqual(px);
    expect(out).not.toBe(px);
  });
  it('refuses bad sizes, channel counts, buffers, filters and boxes with the reason', () => {
    expect(() => resizeRgb(px, 4, 3, 3, 0, 3, 'bicubic')).toThrow(/positive integers/);
    expect(() => resizeRgb(px, 4, 3, 5, 2, 2, 'bicubic')).toThrow(/5 channels/);
    expect(() => resizeRgb(px.subarray(1), 4, 3, 3, 2, 2, 'bicubic')).toThrow(/not 4×3×3/);
    expect(() => resizeRgb(px, 4, 3, 3, 2, 2, 'lanczos' as PilFilter)).toThrow(/Unknown resampling filter "lanczos"/);
    expect(() => resizeRgb(px, 4, 3, 3, 2, 2, 'bicubic', [0, 0, 5, 3])).toThrow(/outside the 4×3 image/);
    expect(() => resizeRgb(px, 4, 3, 3, 2, 2, 'bicubic', [3, 0, 1, 3])).toThrow(/empty/);
  });
});

const DENSEPOSE = join(SHARED, 'fixtures/densepose-tiny');
const haveDensePose = existsSync(join(DENSEPOSE, 'case1_preprocess.safetensors'));
if (!haveDensePose) console.log('skipped: ../shared/fixtures/densepose-tiny is absent (DensePose ResizeShortestEdge check)');

describe.skipIf(!haveDensePose)('detectron2 ResizeShortestEdge (PIL BILINEAR on BGR) in the DensePose fixture', () => {
  it.each(['image0', 'image1'])('%s.pre.resized_bgr: 0 differing levels', (image) => {
    const input = tensor(readTensorFile(join(DENSEPOSE, 'inputs.safetensors')), `${image}.input_bgr`);
    const want = tensor(readTensorFile(join(DENSEPOSE, 'case1_preprocess.safetensors')), `${image}.pre.resized_bgr`);
    const [h, w] = input.shape;
    const [oh, ow] = want.shape;
    const got = resizeRgb(input.data as Uint8Array, w, h, 3, ow, oh, 'bilinear');
    const diff = levelDiff(got, want.data);
    console.log(`${image} ${w}x${h} → ${ow}x${oh} bilinear: max ${diff.maxLevels} levels, ${diff.differingPixels} of ${diff.pixels} pixels differ`);
    expect(diff.differing).toBe(0);
  });
});
