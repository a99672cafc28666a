// Fixture case 5 (the official AnimationPipeline.__call__) through the render CLI: the tiny
// checkpoints compiled into a model folder, the stored 128×128 inputs written as PNGs (so no resize
// happens), the official preset with 4 steps and the stored initial noise. Final latents, decoded
// frames and the context windows must match the official run, for the fp16 bank (official) and the
// fp32 bank variant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as renderCli } from '../../src/main/cli/render';
import { compileModel } from '../../src/main/compiler/compile';
import { readSafetensorsFile, writeSafetensors } from '../../src/main/compiler/weights/safetensors';
import { decodePng, encodePng } from '../../src/main/engine/png';
import { FIXTURES, readFixtureJson, readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

const TINY = path.join(FIXTURES, 'tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'render-case5-'));
const modelDir = path.join(tmp, 'model');
const motionDir = path.join(tmp, 'motion');
const referencePng = path.join(tmp, 'reference.png');
const noiseFile = path.join(tmp, 'init_noise.safetensors');
const inputs = readFixtureTensors('inputs.safetensors');
const case5 = readFixtureTensors('case5_pipeline.safetensors');

/** HWC float bytes (exact integers) → RGB24. */
const toBytes = (data: Float32Array): Uint8Array => Uint8Array.from(data, (v) => v);

beforeAll(async () => {
  await compileModel({
    sd15Dir: path.join(TINY, 'stable-diffusion-v1-5'),
    vaeDir: path.join(TINY, 'sd-vae-ft-mse'),
    magicAnimateDir: path.join(TINY, 'MagicAnimate'),
    textEmbeddingPath: path.join(TINY, 'text_embedding.safetensors'),
    outDir: modelDir,
    precision: 'fp32',
  });
  fs.writeFileSync(referencePng, encodePng(toBytes(tensorOf(inputs, 'ref_image').data), 128, 128));
  fs.mkdirSync(motionDir);
  const frames = tensorOf(inputs, 'control_frames').data; // [24, 128, 128, 3]
  const size = 128 * 128 * 3;
  for (let f = 0; f < 24; f++) {
    fs.writeFileSync(path.join(motionDir, `${String(f).padStart(6, '0')}.png`), encodePng(toBytes(frames.subarray(f * size, (f + 1) * size)), 128, 128));
  }
  const noise = tensorOf(case5, 'init_noise');
  writeSafetensors(noiseFile, { init_noise: { shape: noise.dims, data: noise.data } });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function renderCase5(bank: 'fp16' | 'fp32'): Promise<{ latents: Float32Array; outDir: string; report: { summary: { windows: number[][] } } }> {
  const outDir = path.join(tmp, `frames-${bank}`);
  const latentsFile = path.join(tmp, `latents-${bank}.safetensors`);
  const reportFile = path.join(tmp, `report-${bank}.json`);
  const code = await renderCli([
    '--preset', 'official', '--motion', motionDir, '--reference', referencePng, '--size', '128', '--steps', '4',
    '--noise', noiseFile, '--save-latents', latentsFile, '--out', outDir, '--model', modelDir,
    '--bank-precision', bank, '--provider', 'cpu', '--threads', '2', '--data-dir', path.join(tmp, 'data'), '--report', reportFile,
  ]);
  expect(code).toBe(0);
  const latents = readSafetensorsFile(latentsFile).get('final_latents');
  expect(latents?.shape).toEqual([1, 4, 32, 16, 16]);
  return { latents: latents!.data, outDir, report: JSON.parse(fs.readFileSync(reportFile, 'utf8')) };
}

function expectLatentsClose(ours: Float32Array, official: Float32Array, what: string): void {
  const scale = official.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const { abs, at } = worstDiff(ours, official);
  console.log(`${what}: max|ours − official| = ${abs.toExponential(3)} (${(abs / scale).toExponential(3)} of max|official| = ${scale.toFixed(2)}, at ${at})`);
  expect(abs).toBeLessThanOrEqual(1e-3 * scale);
}

describe('case 5 through `render --preset official`', () => {
  it('fp16 bank: final latents, decoded frames and windows match the official pipeline', async () => {
    const { latents, outDir, report } = await renderCase5('fp16');
    expectLatentsClose(latents, tensorOf(case5, 'final_latents').data, 'case5 final latents (fp16 bank)');

    const video = tensorOf(case5, 'video').data; // [1, 3, 24, 128, 128]
    const plane = 128 * 128;
    let worst = 0;
    expect(fs.readdirSync(outDir).filter((n) => n.endsWith('.png')).sort()).toEqual(Array.from({ length: 24 }, (_, f) => `${String(f).padStart(6, '0')}.png`));
    for (let f = 0; f < 24; f++) {
      const { rgb, width, height } = decodePng(fs.readFileSync(path.join(outDir, `${String(f).padStart(6, '0')}.png`)));
      expect([width, height]).toEqual([128, 128]);
      for (let c = 0; c < 3; c++)
        for (let p = 0; p < plane; p++) worst = Math.max(worst, Math.abs(rgb[p * 3 + c] - Math.round(video[(c * 24 + f) * plane + p] * 255)));
    }
    console.log(`case5 decoded frames: worst 8-bit difference ${worst} level(s)`);
    expect(worst).toBeLessThanOrEqual(1);

    const official = readFixtureJson<{ per_step: { unet_pass: { windows: number[][] } }[] }>('case5_context_windows.json');
    for (const step of official.per_step) expect(report.summary.windows).toEqual(step.unet_pass.windows);
  });

  it('fp32 bank: final latents match the official run with the bank kept in float32', async () => {
    const { latents } = await renderCase5('fp32');
    const f32 = readFixtureTensors('case5_pipeline_bank_f32.safetensors');
    expectLatentsClose(latents, tensorOf(f32, 'final_latents').data, 'case5 final latents (fp32 bank)');
    // The two bank precisions really differ (README fact 1: up to 0.0016 on the final latents).
    expect(worstDiff(latents, tensorOf(case5, 'final_latents').data).abs).toBeGreaterThan(1e-4);
  });
});
