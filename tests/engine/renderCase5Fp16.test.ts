// Fixture case 5 with fp16 compute, both ends through the CLI: `compile-model --precision fp16` on
// the tiny checkpoints, then `render --preset official` (fp16 bank, the official rounding) with the
// stored noise. The official run is float32, so the bounds are fp16's: final latents within
// rel 2e-2 of max|official|, decoded frames within 4/255.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as compileCli } from '../../src/main/cli/compileModel';
import { main as renderCli } from '../../src/main/cli/render';
import { readManifest } from '../../src/main/compiler/manifest';
import { readSafetensorsFile, writeSafetensors } from '../../src/main/compiler/weights/safetensors';
import { decodePng, encodePng } from '../../src/main/engine/png';
import { FIXTURES, readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

const TINY = path.join(FIXTURES, 'tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-case5-fp16-'));
const modelDir = path.join(tmp, 'model-fp16');
const motionDir = path.join(tmp, 'motion');
const referencePng = path.join(tmp, 'reference.png');
const noiseFile = path.join(tmp, 'init_noise.safetensors');
const inputs = readFixtureTensors('inputs.safetensors');
const case5 = readFixtureTensors('case5_pipeline.safetensors');
const toBytes = (data: Float32Array): Uint8Array => Uint8Array.from(data, (v) => v);

beforeAll(async () => {
  const code = await compileCli([
    '--sd15', path.join(TINY, 'stable-diffusion-v1-5'), '--vae', path.join(TINY, 'sd-vae-ft-mse'),
    '--magicanimate', path.join(TINY, 'MagicAnimate'), '--text-embedding', path.join(TINY, 'text_embedding.safetensors'),
    '--out', modelDir, '--precision', 'fp16',
  ]);
  expect(code).toBe(0);
  fs.writeFileSync(referencePng, encodePng(toBytes(tensorOf(inputs, 'ref_image').data), 128, 128));
  fs.mkdirSync(motionDir);
  const frames = tensorOf(inputs, 'control_frames').data;
  const size = 128 * 128 * 3;
  for (let f = 0; f < 24; f++) {
    fs.writeFileSync(path.join(motionDir, `${String(f).padStart(6, '0')}.png`), encodePng(toBytes(frames.subarray(f * size, (f + 1) * size)), 128, 128));
  }
  const noise = tensorOf(case5, 'init_noise');
  writeSafetensors(noiseFile, { init_noise: { shape: noise.dims, data: noise.data } });
}, 120_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('case 5 with fp16 compute, through the CLI', () => {
  it('the compiled folder is fp16 with float32 inputs and outputs', () => {
    const manifest = readManifest(modelDir);
    expect(manifest.precision).toBe('fp16');
    for (const net of manifest.networks) {
      expect(net.inputs.concat(net.outputs).filter((io) => io.dtype === 'float16')).toEqual([]); // fp32 I/O
    }
  });

  it('final latents within rel 2e-2 and frames within 4/255 of the official fp32 run', async () => {
    const outDir = path.join(tmp, 'frames');
    const latentsFile = path.join(tmp, 'latents.safetensors');
    const code = await renderCli([
      '--preset', 'official', '--motion', motionDir, '--reference', referencePng, '--size', '128', '--steps', '4',
      '--noise', noiseFile, '--save-latents', latentsFile, '--out', outDir, '--model', modelDir,
      '--provider', 'cpu', '--threads', '2', '--data-dir', path.join(tmp, 'data'),
    ]);
    expect(code).toBe(0);
    const latents = readSafetensorsFile(latentsFile).get('final_latents')!.data;
    const official = tensorOf(case5, 'final_latents').data;
    const scale = official.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const { abs } = worstDiff(latents, official);
    console.log(`fp16 case5 final latents: max|ours − official| = ${abs.toExponential(3)} = ${(abs / scale).toExponential(3)} of max|official| ${scale.toFixed(2)}`);
    expect(abs).toBeLessThanOrEqual(2e-2 * scale);

    const video = tensorOf(case5, 'video').data; // [1, 3, 24, 128, 128]
    const plane = 128 * 128;
    let worst = 0;
    for (let f = 0; f < 24; f++) {
      const { rgb } = decodePng(fs.readFileSync(path.join(outDir, `${String(f).padStart(6, '0')}.png`)));
      for (let c = 0; c < 3; c++)
        for (let p = 0; p < plane; p++) worst = Math.max(worst, Math.abs(rgb[p * 3 + c] - Math.round(video[(c * 24 + f) * plane + p] * 255)));
    }
    console.log(`fp16 case5 decoded frames: worst 8-bit difference ${worst} level(s)`);
    expect(worst).toBeLessThanOrEqual(4);
  }, 300_000);
});
