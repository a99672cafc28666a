// The render path's inputs from the ORIGINAL sample files equal the official demo's: monalisa.png
// and running.mp4 (512×512) resized to 128 with PIL bicubic, as the magicanimate-tiny fixture's
// inputs.safetensors stores them. Plus the pad/crop geometry for inputs of another aspect ratio.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { centredCropBox, fitRgb, paddedInnerSize } from '../../src/main/images/fit';
import { resizeRgb } from '../../src/main/images/resample';
import { decodeMotion, loadReferenceRgb } from '../../src/main/engine/inputs';
import { levelDiff, readTensorFile, SAMPLES, SHARED, tensor } from './tensorFile';

const INPUTS = path.join(SHARED, 'fixtures/magicanimate-tiny/inputs.safetensors');
const MONALISA = path.join(SAMPLES, 'monalisa.png');
const RUNNING = path.join(SAMPLES, 'running.mp4');
const haveSamples = fs.existsSync(MONALISA) && fs.existsSync(RUNNING) && fs.existsSync(INPUTS);
if (!haveSamples) console.log('skipped: ../shared/data or the magicanimate-tiny fixture is absent (render inputs from the originals)');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-inputs-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const ff = { bin: 'ffmpeg', version: null };

describe.skipIf(!haveSamples)('inputs from the original files equal the fixture inputs (128×128)', () => {
  const fixture = haveSamples ? readTensorFile(INPUTS) : new Map();
  it.each(['pad', 'crop'] as const)('reference monalisa.png (fit %s): 0 differing levels', async (fit) => {
    const rgb = await loadReferenceRgb(MONALISA, { width: 128, height: 128, fit });
    const d = levelDiff(rgb, tensor(fixture, 'ref_image').data);
    console.log(`ref_image from monalisa.png: max ${d.maxLevels} level(s), ${d.differingPixels} pixels differ`);
    expect(d.differing).toBe(0);
  });

  it('motion running.mp4 frames 0–23: 0 differing levels', async () => {
    const control = await decodeMotion(ff, RUNNING, {
      width: 128, height: 128, fit: 'pad', range: { start: 0, end: 24 }, cacheFile: path.join(tmp, 'motion.rgb'),
    });
    try {
      expect(control.count).toBe(24);
      const want = tensor(fixture, 'control_frames').data;
      const size = 128 * 128 * 3;
      let worst = 0;
      let differing = 0;
      for (let f = 0; f < 24; f++) {
        const d = levelDiff(control.rgbFrame(f), want.subarray(f * size, (f + 1) * size));
        worst = Math.max(worst, d.maxLevels);
        differing += d.differingPixels;
      }
      console.log(`control_frames from running.mp4: max ${worst} level(s), ${differing} pixels differ`);
      expect(differing).toBe(0);
    } finally {
      control.close();
    }
  });
});

describe('fitting an input of another aspect ratio', () => {
  // A 6×4 image: left half red, right half blue.
  const pixels = new Uint8Array(6 * 4 * 3);
  for (let i = 0; i < 24; i++) pixels.set(i % 6 < 3 ? [255, 0, 0] : [0, 0, 255], i * 3);
  const image = { pixels, width: 6, height: 4 };

  it('the same aspect ratio is one whole-image resize in every mode (the official case)', () => {
    const square = { pixels: pixels.subarray(0, 4 * 4 * 3), width: 4, height: 4 };
    const official = resizeRgb(square.pixels, 4, 4, 3, 8, 8, 'bicubic');
    for (const fit of ['stretch', 'pad', 'crop'] as const) expect(fitRgb(square, { width: 8, height: 8, fit })).toEqual(official);
    expect(centredCropBox(512, 512, 128, 128)).toEqual([0, 0, 512, 512]);
    expect(paddedInnerSize(1024, 512, 256, 128)).toEqual({ width: 256, height: 128 });
  });

  it("'pad' keeps the aspect ratio on bars of the pad colour, centred", () => {
    expect(paddedInnerSize(6, 4, 12, 12)).toEqual({ width: 12, height: 8 });
    const out = fitRgb(image, { width: 12, height: 12, fit: 'pad', padColor: [68, 1, 84] });
    const at = (x: number, y: number) => [...out.subarray((y * 12 + x) * 3, (y * 12 + x) * 3 + 3)];
    expect(at(0, 0)).toEqual([68, 1, 84]);
    expect(at(11, 11)).toEqual([68, 1, 84]);
    expect(at(0, 2)).toEqual([255, 0, 0]);
    expect(at(11, 9)).toEqual([0, 0, 255]);
  });

  it("'crop' resizes Pillow's centred box (ImageOps.fit), one resampling", () => {
    expect(centredCropBox(6, 4, 8, 8)).toEqual([1, 0, 5, 4]);
    expect(centredCropBox(4, 6, 8, 8)).toEqual([0, 1, 4, 5]);
    const out = fitRgb(image, { width: 8, height: 8, fit: 'crop' });
    expect(out).toEqual(resizeRgb(pixels, 6, 4, 3, 8, 8, 'bicubic', [1, 0, 5, 4]));
    expect([...out.subarray(0, 3)]).toEqual([255, 0, 0]);
    expect([...out.subarray(7 * 3, 8 * 3)]).toEqual([0, 0, 255]);
  });
});
