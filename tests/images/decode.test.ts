// sharp's decoding against Pillow's: synthetic JPEGs made and decoded by Pillow 9.4
// (scripts/testdata/pilResizePairs.py), and the sample photos as the DensePose fixture stores them
// (decoded by OpenCV, recorded there as equal to Pillow's decode).
import fs from 'node:fs';
import os from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageRgb } from '../../src/main/images/decode';
import { fitRgb } from '../../src/main/images/fit';
import { levelDiff, readTensorFile, SAMPLES, SHARED, tensor } from './tensorFile';

const DATA = join(dirname(fileURLToPath(import.meta.url)), 'data');
const meta = JSON.parse(fs.readFileSync(join(DATA, 'pil_resize_pairs.json'), 'utf8')) as { pillow: string; jpegs: string[] };
const jpegPairs = readTensorFile(join(DATA, 'pil_jpeg_pairs.safetensors'));

/** The bound for a JPEG reference: at most 1 level, on at most 1% of the pixels. */
function expectJpegClose(what: string, got: Uint8Array, want: ArrayLike<number>): void {
  const d = levelDiff(got, want);
  const share = d.differingPixels / d.pixels;
  console.log(`${what}: max ${d.maxLevels} level(s), ${d.differingPixels} of ${d.pixels} pixels differ (${(100 * share).toFixed(3)}%)`);
  expect(d.maxLevels).toBeLessThanOrEqual(1);
  expect(share).toBeLessThanOrEqual(0.01);
}

describe(`sharp decodes JPEG like Pillow ${meta.pillow} (libjpeg-turbo)`, () => {
  it.each(meta.jpegs)('%s: decoded, and resized as the official demo does (64×64 bicubic)', async (name) => {
    const image = await decodeImageRgb(join(DATA, `jpeg_${name}.jpg`));
    expect([image.width, image.height]).toEqual([120, 90]);
    expectJpegClose(`${name} decoded`, image.pixels, tensor(jpegPairs, `${name}.decoded`).data);
    const resized = fitRgb(image, { width: 64, height: 64, fit: 'stretch' });
    expectJpegClose(`${name} resized`, resized, tensor(jpegPairs, `${name}.resized`).data);
  });
});

const DENSEPOSE_INPUTS = join(SHARED, 'fixtures/densepose-tiny/inputs.safetensors');
const haveSamples = fs.existsSync(join(SAMPLES, 'monalisa.png')) && fs.existsSync(DENSEPOSE_INPUTS);
if (!haveSamples) console.log('skipped: ../shared/data or ../shared/fixtures/densepose-tiny is absent (sample photo decoding)');

describe.skipIf(!haveSamples)('the sample photos decode to the bytes the fixtures hold', () => {
  it.each([['monalisa.png', 'image0'], ['dalle2.jpeg', 'image1']])('%s', async (file, key) => {
    const bgr = tensor(readTensorFile(DENSEPOSE_INPUTS), `${key}.input_bgr`);
    const rgb = Uint8Array.from(bgr.data, (_, i) => bgr.data[i - (i % 3) + 2 - (i % 3)]);
    const image = await decodeImageRgb(join(SAMPLES, file));
    expect([image.height, image.width]).toEqual(bgr.shape.slice(0, 2));
    const d = levelDiff(image.pixels, rgb);
    console.log(`${file}: max ${d.maxLevels} level(s), ${d.differingPixels} of ${d.pixels} pixels differ`);
    expect(d.differing).toBe(0);
  });
});

describe('decodeImageRgb refuses what it cannot read, naming the file', () => {
  const dir = fs.mkdtempSync(join(os.tmpdir(), 'decode-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  it('a missing file, a text file and a truncated JPEG', async () => {
    await expect(decodeImageRgb(join(dir, 'gone.png'))).rejects.toMatchObject({ code: 'not_found' });
    fs.writeFileSync(join(dir, 'notes.png'), 'not an image');
    await expect(decodeImageRgb(join(dir, 'notes.png'))).rejects.toThrow(/notes\.png could not be decoded/);
    const jpeg = fs.readFileSync(join(DATA, 'jpeg_baseline_444.jpg'));
    fs.writeFileSync(join(dir, 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    await expect(decodeImageRgb(join(dir, 'cut.jpg'))).rejects.toMatchObject({ code: 'corrupt_media', message: expect.stringMatching(/cut\.jpg/) });
  });
});
