// fp16 compute (GraphOptions.precision 'fp16') on the tiny fixtures: each network's single evaluation
// (cases 1–4) within rel 1e-2 of the official float32 output, plus the measurements that justify the
// fp32 islands (layers/precision notes in docs). I/O stays float32, so the feeds are the fp32 tests'.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from '../../src/main/compiler/configs';
import { buildAppearanceEncoder, buildControlNet, buildUNet3D, buildVaeDecoder, buildVaeEncoder } from '../../src/main/compiler/networks';
import { float16BitToFloat32, float32ToFloat16Bit } from '../../src/main/compiler/onnx/fp16';
import type { GraphOptions } from '../../src/main/compiler/onnx/graph';
import { MOTION_MODULE_KWARGS } from '../../src/main/compiler/presets';
import { unet3dSource } from '../../src/main/compiler/weights/overlay';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';
import { float32Tensor, int64Tensor, scalarFloat, type OrtTensor } from '../../src/main/engine/runtime';
import { compareOutputs, fixture, get, runNetwork, TINY, tinyModel } from './fixtureCompare';

const FP16: GraphOptions = { precision: 'fp16', attention: 'fused' };
const REL = 1e-2;
const feed = (t: { data: Float32Array; shape: number[] }) => float32Tensor(t.data, t.shape);
const round16 = (v: number) => float16BitToFloat32(float32ToFloat16Bit(v));

describe('fp16 compute on the tiny fixtures', () => {
  it('case 1: VAE encoder and decoder', async () => {
    const { config, weights } = tinyModel('sd-vae-ft-mse');
    const cfg = parseVaeConfig(config);
    const case1 = fixture('case1_vae.safetensors');
    const enc = buildVaeEncoder(cfg, weights, { height: 128, width: 128, graph: FP16 });
    expect(enc.graph.lazyInitializers.every((w) => w.dtype === 'float16')).toBe(true);
    expect(enc.inputs.map((i) => i.dtype)).toEqual(['float32']);
    const latent = await runNetwork(enc, { image: feed(get(case1, 'image')) });
    expect(latent.latent_mean.type).toBe('float32');
    compareOutputs('fp16 case 1 encoder', latent, { latent_mean: get(case1, 'latent_mean') }, REL);
    const dec = buildVaeDecoder(cfg, weights, { height: 128, width: 128, graph: FP16 });
    const image = await runNetwork(dec, { latent: feed(get(case1, 'decode_input')) });
    compareOutputs('fp16 case 1 decoder', image, { image: get(case1, 'decode_output') }, REL);
  });

  it('case 2: appearance encoder bank', async () => {
    const { config, weights } = tinyModel('MagicAnimate/appearance_encoder');
    const case2 = fixture('case2_appearance_bank.safetensors');
    const net = buildAppearanceEncoder(parseUNetConfig(config), weights, { graph: FP16 });
    const ref = get(case2, 'ref_latents');
    const sample = new Float32Array(2 * ref.data.length);
    sample.set(ref.data, 0);
    sample.set(ref.data, ref.data.length);
    const out = await runNetwork(net, {
      sample: float32Tensor(sample, [2, 4, 16, 16]),
      timestep: int64Tensor([get(case2, 'timestep').data[0]], []),
      encoder_hidden_states: feed(get(case2, 'encoder_hidden_states')),
    });
    compareOutputs('fp16 case 2 bank', out, Object.fromEntries(net.bankEntries.map((e) => [e.output, get(case2, e.output)])), REL);
  });

  it('case 3: ControlNet residuals', async () => {
    const { config, weights } = tinyModel('MagicAnimate/densepose_controlnet');
    const case3 = fixture('case3_controlnet.safetensors');
    const frames = get(fixture('inputs.safetensors'), 'control_frames');
    const cond = new Float32Array(16 * 3 * 128 * 128);
    for (let f = 0; f < 16; f++)
      for (let p = 0; p < 128 * 128; p++)
        for (let c = 0; c < 3; c++) cond[(f * 3 + c) * 128 * 128 + p] = frames.data[(f * 128 * 128 + p) * 3 + c] / 255;
    const net = buildControlNet(parseControlNetConfig(config), weights, { height: 16, width: 16, graph: FP16 });
    const out = await runNetwork(net, {
      sample: feed(get(case3, 'latents')),
      timestep: int64Tensor([get(case3, 'timestep').data[0]], []),
      encoder_hidden_states: feed(get(case3, 'encoder_hidden_states')),
      controlnet_cond: float32Tensor(cond, [16, 3, 128, 128]),
      conditioning_scale: scalarFloat(1),
    });
    compareOutputs('fp16 case 3 controlnet', out, Object.fromEntries(net.outputs.map((o) => [o.name, get(case3, o.name)])), REL);
  });

  it('case 4: UNet3D step (official path: residuals, fp16-rounded bank)', async () => {
    const cfg = parseUNetConfig(JSON.parse(readFileSync(join(TINY, 'stable-diffusion-v1-5/unet/config.json'), 'utf8')));
    const ckpt = openTorchZip(join(TINY, 'MagicAnimate/temporal_attention/temporal_attention.ckpt'));
    const weights = unet3dSource(openTorchZip(join(TINY, 'stable-diffusion-v1-5/unet/diffusion_pytorch_model.bin')), ckpt);
    const net = buildUNet3D(cfg, parseMotionModuleConfig(MOTION_MODULE_KWARGS), weights, { graph: FP16 });
    const [case2, case3, case4] = ['case2_appearance_bank', 'case3_controlnet', 'case4_unet3d'].map((n) => fixture(`${n}.safetensors`));
    const feeds: Record<string, OrtTensor> = {
      sample: feed(get(case4, 'latents')),
      timestep: int64Tensor([get(case4, 'timestep').data[0]], []),
      encoder_hidden_states: feed(get(case4, 'encoder_hidden_states')),
    };
    for (const i of net.inputs) if (/^down_|^mid$/.test(i.name)) feeds[i.name] = feed(get(case3, i.name));
    for (const slot of net.bankSlots) {
      const t = get(case2, slot.input);
      const row = t.data.slice(slot.tokens * slot.channels, 2 * slot.tokens * slot.channels).map(round16);
      feeds[slot.input] = float32Tensor(row, [1, slot.tokens, slot.channels]);
    }
    const out = await runNetwork(net, feeds);
    compareOutputs('fp16 case 4 unet3d', { noise_pred_ref_ctrl: out.noise_pred }, { noise_pred_ref_ctrl: get(case4, 'noise_pred_ref_ctrl') }, REL);
  }, 120_000);
});

describe('fp32 islands, measured', () => {
  it('timestep embedding: float16 arguments would wreck sin/cos at DDIM timesteps (so it stays float32)', () => {
    // SD1.5: 160 frequencies exp(-ln(10000)·i/160); t up to 999. float16 spacing at 512..1024 is 0.5.
    let worst = 0;
    for (const t of [961, 751, 501, 251, 1]) {
      for (let i = 0; i < 160; i++) {
        const arg = Math.fround(t * Math.exp((-Math.log(10000) * i) / 160));
        worst = Math.max(worst, Math.abs(Math.sin(arg) - Math.sin(round16(arg))), Math.abs(Math.cos(arg) - Math.cos(round16(arg))));
      }
    }
    console.log(`timestep embedding with float16 arguments: max error ${worst.toFixed(3)} on values in [-1, 1]`);
    expect(worst).toBeGreaterThan(0.1); // far past the 1e-2 budget of a whole network
  });
});
