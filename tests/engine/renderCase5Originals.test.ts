// Fixture case 5 rendered from the ORIGINAL sample files (monalisa.png and running.mp4, 512×512),
// not from pre-resized PNGs: `render --preset official --size 128 --range 0:24 --save-inputs` must
// feed the networks exactly the fixture's inputs (0 differing levels) and reproduce the official
// final latents within rel 1e-3. The resize is Pillow's bicubic (src/main/images).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as renderCli } from '../../src/main/cli/render';
import { compileModel } from '../../src/main/compiler/compile';
import { readSafetensorsFile, writeSafetensors } from '../../src/main/compiler/weights/safetensors';
import { FIXTURES, readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

const SAMPLES = path.join(FIXTURES, '../../data/magicanimate-samples');
const MONALISA = path.join(SAMPLES, 'monalisa.png');
const RUNNING = path.join(SAMPLES, 'running.mp4');
const haveSamples = fs.existsSync(MONALISA) && fs.existsSync(RUNNING);
if (!haveSamples) console.log('skipped: ../shared/data/magicanimate-samples is absent (case 5 from the original files)');

const TINY = path.join(FIXTURES, 'tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-case5-originals-'));
const modelDir = path.join(tmp, 'model');
const noiseFile = path.join(tmp, 'init_noise.safetensors');

beforeAll(async () => {
  if (!haveSamples) return;
  await compileModel({
    sd15Dir: path.join(TINY, 'stable-diffusion-v1-5'),
    vaeDir: path.join(TINY, 'sd-vae-ft-mse'),
    magicAnimateDir: path.join(TINY, 'MagicAnimate'),
    textEmbeddingPath: path.join(TINY, 'text_embedding.safetensors'),
    outDir: modelDir,
    precision: 'fp32',
  });
  const noise = tensorOf(readFixtureTensors('case5_pipeline.safetensors'), 'init_noise');
  writeSafetensors(noiseFile, { init_noise: { shape: noise.dims, data: noise.data } });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function differingLevels(ours: Float32Array, official: Float32Array): { max: number; count: number } {
  expect(ours.length).toBe(official.length);
  let max = 0;
  let count = 0;
  for (let i = 0; i < ours.length; i++) {
    const d = Math.abs(ours[i] - official[i]);
    if (d > 0) count++;
    max = Math.max(max, d);
  }
  return { max, count };
}

describe.skipIf(!haveSamples)('case 5 from monalisa.png and running.mp4 through `render --preset official`', () => {
  it('--save-inputs equals inputs.safetensors exactly, and the final latents match the official run', async () => {
    const inputsFile = path.join(tmp, 'inputs.safetensors');
    const latentsFile = path.join(tmp, 'latents.safetensors');
    const code = await renderCli([
      '--preset', 'official', '--reference', MONALISA, '--motion', RUNNING, '--size', '128', '--range', '0:24',
      '--steps', '4', '--noise', noiseFile, '--save-inputs', inputsFile, '--save-latents', latentsFile,
      '--out', path.join(tmp, 'frames'), '--model', modelDir, '--bank-precision', 'fp16', '--provider', 'cpu',
      '--threads', '2', '--data-dir', path.join(tmp, 'data'),
    ]);
    expect(code).toBe(0);

    const saved = readSafetensorsFile(inputsFile);
    const fixture = readFixtureTensors('inputs.safetensors');
    for (const key of ['ref_image', 'control_frames']) {
      const ours = saved.get(key);
      const official = tensorOf(fixture, key);
      expect(ours?.shape, key).toEqual(official.dims);
      const d = differingLevels(ours!.data, official.data);
      console.log(`--save-inputs ${key} [${official.dims.join(', ')}]: ${d.count} values differ (max ${d.max} levels)`);
      expect(d.count, key).toBe(0);
    }

    const latents = readSafetensorsFile(latentsFile).get('final_latents');
    const official = tensorOf(readFixtureTensors('case5_pipeline.safetensors'), 'final_latents').data;
    const scale = official.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const { abs } = worstDiff(latents!.data, official);
    console.log(`case5 from originals: max|ours − official| = ${abs.toExponential(3)} (${(abs / scale).toExponential(3)} of max ${scale.toFixed(2)})`);
    expect(abs).toBeLessThanOrEqual(1e-3 * scale);
  });
});
