// Case 4: the UNet3D denoising step (t = 961) built from the REAL tiny files (SD1.5 .bin overlaid by
// temporal_attention.ckpt), run on ORT and compared with every official output variant; plus the
// full-size structure check against the unet3d_magicanimate key manifest.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseMotionModuleConfig, parseUNetConfig } from '../../src/main/compiler/configs';
import { buildAppearanceEncoder, buildUNet3D } from '../../src/main/compiler/networks';
import { float16BitToFloat32, float32ToFloat16Bit } from '../../src/main/compiler/onnx/fp16';
import { MOTION_MODULE_KWARGS } from '../../src/main/compiler/presets';
import { unet3dSource } from '../../src/main/compiler/weights/overlay';
import { shapeOnlySource, sinusoidalPositions, type KeyManifestRow } from '../../src/main/compiler/weights/seeded';
import type { SafetensorsTensor } from '../../src/main/compiler/weights/safetensors';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';
import { createSession, float32Tensor, int64Tensor, type OrtTensor, type RuntimeSession } from '../../src/main/engine/runtime';
import { compareOutputs, fixture, FIXTURES, get, TINY, tinyModel } from './fixtureCompare';

const unetConfig = parseUNetConfig(JSON.parse(readFileSync(join(TINY, 'stable-diffusion-v1-5/unet/config.json'), 'utf8')));
const motion = parseMotionModuleConfig(MOTION_MODULE_KWARGS);
const CKPT = join(TINY, 'MagicAnimate/temporal_attention/temporal_attention.ckpt');
const BIN = join(TINY, 'stable-diffusion-v1-5/unet/diffusion_pytorch_model.bin');

const case2 = fixture('case2_appearance_bank.safetensors');
const case3 = fixture('case3_controlnet.safetensors');
const case4 = fixture('case4_unet3d.safetensors');
const RESIDUALS = [...Array.from({ length: 12 }, (_, i) => `down_${String(i).padStart(2, '0')}`), 'mid'];
const BANKS = Array.from({ length: 10 }, (_, i) => `bank_${String(i).padStart(2, '0')}`);

const feed = (t: SafetensorsTensor) => float32Tensor(t.data, t.shape);
const zerosLike = (t: SafetensorsTensor) => float32Tensor(new Float32Array(t.data.length), t.shape);
/** torch's `.to(float16)` then promotion back (ReferenceAttentionControl.update's default dtype). */
const roundFp16 = (v: Float32Array) => v.map((x) => float16BitToFloat32(float32ToFloat16Bit(x)));

/** The cond row [1, L, C] of a case-2 bank entry [2, L, C], optionally rounded to fp16. */
function condBank(name: string, fp16: boolean): OrtTensor {
  const t = get(case2, name);
  const [, l, c] = t.shape;
  const row = t.data.slice(l * c, 2 * l * c);
  return float32Tensor(fp16 ? roundFp16(row) : row, [1, l, c]);
}

function feeds(latents: string, o: { residuals: boolean; bank?: 'fp16' | 'fp32' }): Record<string, OrtTensor> {
  const out: Record<string, OrtTensor> = {
    sample: feed(get(case4, latents)),
    timestep: int64Tensor([get(case4, 'timestep').data[0]], []),
    encoder_hidden_states: feed(get(case4, 'encoder_hidden_states')),
  };
  // case 3 residuals are frames-flattened [16, C, h, w] = our per-frame layout; zeros = no ControlNet.
  for (const r of RESIDUALS) out[r] = o.residuals ? feed(get(case3, r)) : zerosLike(get(case3, r));
  if (o.bank) for (const b of BANKS) out[b] = condBank(b, o.bank === 'fp16');
  return out;
}

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

/** Frames 0..f−1 of `t` along `axis`, wrapping around (a window of another length). */
function tileFrames(t: OrtTensor, f: number, axis: number): OrtTensor {
  const dims = [...t.dims];
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = dims[axis];
  const src = t.data as Float32Array;
  const out = new Float32Array(outer * f * inner);
  for (let o = 0; o < outer; o++)
    for (let i = 0; i < f; i++) out.set(src.subarray((o * n + (i % n)) * inner, (o * n + (i % n) + 1) * inner), (o * f + i) * inner);
  dims[axis] = f;
  return float32Tensor(out, dims);
}

function tinySource() {
  const ckpt = openTorchZip(CKPT);
  return { ckpt, weights: unet3dSource(openTorchZip(BIN), ckpt) };
}

describe('case 4: UNet3D', () => {
  const sessions: { ref?: RuntimeSession; plain?: RuntimeSession } = {};
  let ckptKeys: string[] = [];
  let unusedCkptKeys: string[] = [];

  beforeAll(async () => {
    const withRef = tinySource();
    const ref = buildUNet3D(unetConfig, motion, withRef.weights);
    expect(ref.inputs.map((i) => i.name)).toEqual(['sample', 'timestep', 'encoder_hidden_states', ...RESIDUALS, ...BANKS]);
    expect(ref.outputs.map((o) => [o.name, o.shape])).toEqual([['noise_pred', [2, 4, 'frames', 16, 16]]]);
    sessions.ref = await createSession(ref.toBuffer(), { provider: 'cpu', threads: 2 });
    ckptKeys = withRef.ckpt.keys();
    unusedCkptKeys = ckptKeys.filter((k) => !withRef.ckpt.usedKeys().has(k));
    const plain = buildUNet3D(unetConfig, motion, tinySource().weights, { reference: false });
    sessions.plain = await createSession(plain.toBuffer(), { provider: 'cpu', threads: 2 });
  }, 120_000);

  afterAll(async () => {
    await sessions.ref?.release();
    await sessions.plain?.release();
  });

  it('takes every one of the 1244 UNet3D weights from temporal_attention.ckpt', () => {
    expect(ckptKeys).toHaveLength(1244);
    expect(unusedCkptKeys).toEqual([]);
  });

  it('reproduces the official reference paths (fp16-rounded bank and fp32 bank)', async () => {
    const official = await sessions.ref!.run(feeds('latents', { residuals: true, bank: 'fp16' }));
    const f32 = await sessions.ref!.run(feeds('latents', { residuals: true, bank: 'fp32' }));
    const refOnly = await sessions.ref!.run(feeds('latents', { residuals: false, bank: 'fp16' }));
    const rows = compareOutputs('case 4 reference read', {
      noise_pred_ref_ctrl: official.noise_pred,
      noise_pred_ref_ctrl_bank_f32: f32.noise_pred,
      noise_pred_ref_only: refOnly.noise_pred,
    }, {
      noise_pred_ref_ctrl: get(case4, 'noise_pred_ref_ctrl'),
      noise_pred_ref_ctrl_bank_f32: get(case4, 'noise_pred_ref_ctrl_bank_f32'),
      noise_pred_ref_only: get(case4, 'noise_pred_ref_only'),
    });
    // The fp16 rounding moves the output by ~6e-5 (README fact 1), under the tolerance: make sure each
    // bank path is much closer to its own official variant than to the other one.
    const cross = maxAbsDiff(official.noise_pred.data as Float32Array, get(case4, 'noise_pred_ref_ctrl_bank_f32').data);
    console.log(`fp16-bank output vs official fp32-bank output: ${cross.toExponential(2)}`);
    expect(cross).toBeGreaterThan(5 * Math.max(rows[0].maxAbsError, rows[1].maxAbsError));
  }, 120_000);

  it('with fused (com.microsoft MultiHeadAttention) attention, reproduces the official path', async () => {
    const fused = buildUNet3D(unetConfig, motion, tinySource().weights, { graph: { attention: 'fused' } });
    const session = await createSession(fused.toBuffer(), { provider: 'cpu', threads: 2 });
    try {
      const out = await session.run(feeds('latents', { residuals: true, bank: 'fp16' }));
      compareOutputs('case 4 fused attention', { noise_pred_ref_ctrl: out.noise_pred }, { noise_pred_ref_ctrl: get(case4, 'noise_pred_ref_ctrl') });
    } finally {
      await session.release();
    }
  }, 120_000);

  it('runs any window length up to 24 frames and rejects longer ones', async () => {
    for (const f of [1, 5, 24]) {
      const input = feeds('latents', { residuals: true, bank: 'fp16' });
      const windowed = Object.fromEntries(Object.entries(input).map(([k, t]) => [k, k === 'sample' ? tileFrames(t, f, 2) : /^down_|^mid$/.test(k) ? tileFrames(t, f, 0) : t]));
      const out = (await sessions.ref!.run(windowed)).noise_pred;
      expect([...out.dims]).toEqual([2, 4, f, 16, 16]);
      expect((out.data as Float32Array).every(Number.isFinite)).toBe(true);
    }
    const tooLong = feeds('latents', { residuals: false, bank: 'fp16' });
    tooLong.sample = tileFrames(tooLong.sample, 25, 2);
    for (const r of RESIDUALS) tooLong[r] = tileFrames(tooLong[r], 25, 0);
    await expect(sessions.ref!.run(tooLong)).rejects.toThrow(/24 by 25/); // pos_encoder.pe holds 24 positions
  }, 120_000);

  it('reproduces the un-hooked UNet3D with and without residuals, on identical and distinct halves', async () => {
    const run = (latents: string, residuals: boolean) => sessions.plain!.run(feeds(latents, { residuals }));
    const [ctrl, plain, distinct] = [await run('latents', true), await run('latents', false), await run('latents_distinct', false)];
    compareOutputs('case 4 un-hooked', {
      noise_pred_ctrl_only: ctrl.noise_pred,
      noise_pred_plain: plain.noise_pred,
      noise_pred_plain_distinct: distinct.noise_pred,
    }, {
      noise_pred_ctrl_only: get(case4, 'noise_pred_ctrl_only'),
      noise_pred_plain: get(case4, 'noise_pred_plain'),
      noise_pred_plain_distinct: get(case4, 'noise_pred_plain_distinct'),
    });
  }, 120_000);
});

describe('UNet3D structure', () => {
  it('pairs its bank inputs with the appearance encoder outputs (name, reader path, shape)', () => {
    const { config, weights } = tinyModel('MagicAnimate/appearance_encoder');
    const writer = buildAppearanceEncoder(parseUNetConfig(config), weights);
    const reader = buildUNet3D(unetConfig, motion, tinySource().weights);
    expect(reader.bankSlots.map((s) => [s.input, s.modulePath, s.tokens, s.channels])).toEqual(
      writer.bankEntries.map((e) => [e.output, e.modulePath, e.tokens, e.channels]),
    );
  });

  it('the ckpt pos_encoder.pe buffers equal the computed sinusoidal table', () => {
    const ckpt = openTorchZip(CKPT);
    const pes = ckpt.keys().filter((k) => k.endsWith('pos_encoder.pe'));
    expect(pes).toHaveLength(40);
    for (const key of pes) {
      const shape = ckpt.shape(key)!;
      const stored = ckpt.take(key, shape).read();
      const computed = sinusoidalPositions(shape[1], shape[2]);
      expect(stored.reduce((m, v, i) => Math.max(m, Math.abs(v - computed[i])), 0), key).toBeLessThan(1e-6);
    }
  });

  it('full size: takes every unet3d_magicanimate key with its real shape', () => {
    const manifest = JSON.parse(readFileSync(join(FIXTURES, 'fullsize_state_dict_keys.json'), 'utf8')) as Record<
      string,
      { config: unknown; unet_additional_kwargs: unknown; state_dict: KeyManifestRow[] }
    >;
    const entry = manifest.unet3d_magicanimate;
    const w = shapeOnlySource('unet3d', entry.state_dict);
    const net = buildUNet3D(parseUNetConfig(entry.config), parseMotionModuleConfig(entry.unet_additional_kwargs), w);
    expect(w.keys().filter((k) => !w.usedKeys().has(k))).toEqual([]);
    expect(net.bankSlots.map((s) => `${s.tokens}x${s.channels}`)).toEqual([
      '64x1280', ...Array(3).fill('256x1280'), ...Array(3).fill('1024x640'), ...Array(3).fill('4096x320'),
    ]);
    expect(net.inputs.find((i) => i.name === 'sample')?.shape).toEqual([2, 4, 'frames', 64, 64]);
    expect(net.inputs.filter((i) => /^down_|^mid$/.test(i.name)).map((i) => i.shape[1])).toEqual([
      320, 320, 320, 320, 640, 640, 640, 1280, 1280, 1280, 1280, 1280, 1280,
    ]);
  });
});
