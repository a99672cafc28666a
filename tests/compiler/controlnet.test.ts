// Case 3: DensePose ControlNet residuals (t = 961) for 16 frames, built from the tiny MagicAnimate files.
import { describe, expect, it } from 'vitest';
import { parseControlNetConfig } from '../../src/main/compiler/configs';
import { buildControlNet } from '../../src/main/compiler/networks';
import { float32Tensor, int64Tensor, scalarFloat } from '../../src/main/engine/runtime';
import { compareOutputs, fixture, get, runNetwork, tinyModel } from './fixtureCompare';

/** FHWC 0..255 → NCHW in [0, 1] for the first `frames` frames (what the pipeline feeds as controlnet_cond). */
function framesToNchw(fhwc: Float32Array, frames: number, h: number, w: number): Float32Array {
  const out = new Float32Array(frames * 3 * h * w);
  for (let f = 0; f < frames; f++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++)
        for (let c = 0; c < 3; c++) out[((f * 3 + c) * h + y) * w + x] = fhwc[((f * h + y) * w + x) * 3 + c] / 255;
  return out;
}

describe('case 3: ControlNet', () => {
  const { config, weights } = tinyModel('MagicAnimate/densepose_controlnet');
  const cfg = parseControlNetConfig(config);

  it('produces the official 12 down residuals and the mid residual', async () => {
    const case3 = fixture('case3_controlnet.safetensors');
    const frames = get(fixture('inputs.safetensors'), 'control_frames');
    const net = buildControlNet(cfg, weights, { height: 16, width: 16 }); // its config has no sample_size
    const latents = get(case3, 'latents');
    const text = get(case3, 'encoder_hidden_states');
    const out = await runNetwork(net, {
      sample: float32Tensor(latents.data, latents.shape),
      timestep: int64Tensor([get(case3, 'timestep').data[0]], []),
      encoder_hidden_states: float32Tensor(text.data, text.shape),
      controlnet_cond: float32Tensor(framesToNchw(frames.data, 16, 128, 128), [16, 3, 128, 128]),
      conditioning_scale: scalarFloat(1),
    });
    const names = [...Array.from({ length: 12 }, (_, i) => `down_${String(i).padStart(2, '0')}`), 'mid'];
    expect(net.outputs.map((o) => o.name)).toEqual(names);
    compareOutputs('case 3 controlnet', out, Object.fromEntries(names.map((n) => [n, get(case3, n)])));
    expect(weights.keys().filter((k) => !weights.usedKeys().has(k))).toEqual([]);
  });
});
