// The loop's own arithmetic (noise tiling, window fusion, CFG, DDIM, decode scaling) against the
// official run of case5: the UNet is replaced by one that replays the official outputs, so
// every other number must come out as torch computed it.
import { describe, expect, it } from 'vitest';
import type { PipelineNetworks, Tensor } from '../../src/main/engine/networks';
import { runPipeline, type SamplingParams } from '../../src/main/engine/pipeline';
import { officialUniformWindows } from '../../src/main/engine/sampler/contextWindows';
import { fuseAndGuide } from '../../src/main/engine/sampler/fuseWeights';
import { readFixtureTensors, tensorOf, worstDiff } from './fixtureTensors';

const case5 = readFixtureTensors('case5_pipeline.safetensors');
const F = 32;
const PLANE = 256; // 16×16 latents
const WINDOWS = officialUniformWindows(F, 16, 4, true);

/** Frames `frames` of a [4, F, 16, 16] slice of a video tensor, as a window tensor [4, f, 16, 16]. */
function gather(video: Float32Array, frames: readonly number[]): Float32Array {
  const out = new Float32Array(4 * frames.length * PLANE);
  for (let c = 0; c < 4; c++)
    frames.forEach((f, j) => out.set(video.subarray((c * F + f) * PLANE, (c * F + f + 1) * PLANE), (c * frames.length + j) * PLANE));
  return out;
}

function replayNetworks(): PipelineNetworks<number, number> {
  const windowOutputs = tensorOf(case5, 'step0_unet_window_outputs').data; // [3, 2, 4, 16, 16, 16]
  const guided = tensorOf(case5, 'noise_pred_guided').data; // [4, 1, 4, 32, 16, 16]
  const timesteps = [...tensorOf(case5, 'timesteps').data];
  let unetCalls = 0;
  return {
    vaeEncode: async () => ({ data: new Float32Array(4 * PLANE), dims: [1, 4, 16, 16] }),
    vaeDecode: async (l: Tensor) => ({ data: l.data.subarray(0, l.dims[0] * 3 * 128 * 128).slice(), dims: [l.dims[0], 3, 128, 128] }),
    appearance: async (_ref, t) => t,
    controlnet: async (latents) => Array.from({ length: latents.dims[0] }, () => 0),
    unet: async (latents, t) => {
      const call = unetCalls++;
      const step = Math.floor(call / WINDOWS.length);
      const w = call % WINDOWS.length;
      expect(t).toBe(timesteps[step]);
      if (step === 0) {
        const size = 2 * 4 * 16 * PLANE;
        return { data: windowOutputs.slice(w * size, (w + 1) * size), dims: latents.dims };
      }
      // Later steps: both halves = the official guided ε, so fusion + CFG give it back exactly.
      const half = gather(guided.subarray(step * 4 * F * PLANE, (step + 1) * 4 * F * PLANE), WINDOWS[w]);
      const data = new Float32Array(2 * half.length);
      data.set(half);
      data.set(half, half.length);
      return { data, dims: latents.dims };
    },
  };
}

describe('case5 replay', () => {
  it('fuses the three step-0 windows and applies CFG exactly as the official code', () => {
    const windowOutputs = tensorOf(case5, 'step0_unet_window_outputs').data;
    const expected = tensorOf(case5, 'noise_pred_guided').data.subarray(0, 4 * F * PLANE);
    const size = 2 * 4 * 16 * PLANE;
    let mismatches = 0;
    for (let f = 0; f < F; f++) {
      const contributions = WINDOWS.flatMap((window, w) => {
        const j = window.indexOf(f);
        if (j < 0) return [];
        const prediction = new Float32Array(2 * 4 * PLANE);
        for (let b = 0; b < 2; b++)
          for (let c = 0; c < 4; c++) {
            const from = w * size + ((b * 4 + c) * 16 + j) * PLANE;
            prediction.set(windowOutputs.subarray(from, from + PLANE), (b * 4 + c) * PLANE);
          }
        return [{ weight: 1, prediction }];
      });
      const eps = fuseAndGuide(contributions, 7.5);
      for (let c = 0; c < 4; c++)
        for (let p = 0; p < PLANE; p++) if (eps[c * PLANE + p] !== expected[(c * F + f) * PLANE + p]) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('reproduces the official latents trajectory and final latents', async () => {
    const init = tensorOf(case5, 'init_noise');
    const params: SamplingParams = { steps: 4, guidance: 7.5, seed: 1, window: 16, overlap: 4, fuse: 'flat', loop: true, padTo16: true };
    const x0ByStep = new Map<number, Map<number, Float32Array>>();
    const result = await runPipeline({
      networks: replayNetworks(),
      reference: { data: new Float32Array(3 * 128 * 128), dims: [1, 3, 128, 128] },
      control: { count: 24, frame: () => ({ data: new Float32Array(3 * 128 * 128), dims: [3, 128, 128] }) },
      params,
      order: 'stepMajor',
      initNoise: { data: init.data, dims: init.dims },
      saveLatents: true,
      onPreview: (p) => p.x0.forEach((x0, i) => (x0ByStep.get(p.step) ?? x0ByStep.set(p.step, new Map()).get(p.step)!).set(p.start + i, x0)),
    });
    const finalDiff = worstDiff(result.finalLatents!.data, tensorOf(case5, 'final_latents').data);
    console.log(`case5 replay: final latents worst abs ${finalDiff.abs}, rel ${finalDiff.rel}`);
    expect(finalDiff.abs).toBe(0);
    const x0 = tensorOf(case5, 'pred_original_sample').data;
    for (let step = 1; step <= 4; step++) {
      const got = x0ByStep.get(step)!;
      for (const [f, values] of got) {
        const expected = gather(x0.subarray((step - 1) * 4 * F * PLANE, step * 4 * F * PLANE), [f]);
        expect(worstDiff(values, expected).abs, `x0 step ${step} frame ${f}`).toBe(0);
      }
      expect(got.size).toBe(24); // previews cover the clip's frames, not the padding
    }
  });

  it('official seed 1 noise equals the stored init_noise, so a plain seeded run starts where torch did', async () => {
    const { seededNoiseBlock } = await import('../../src/main/engine/sampler/noise');
    const block = seededNoiseBlock(1, 4, 16, 16);
    expect(worstDiff(block.data, tensorOf(case5, 'init_noise').data).abs).toBe(0);
  });
});
