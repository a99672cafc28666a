import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededSource, seededValues, shapeOnlySource, sinusoidalPositions, type KeyManifestRow } from '../../src/main/compiler/weights/seeded';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny');

const stats = (v: Float32Array) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  return { mean, std };
};

describe('seededSource', () => {
  it('is deterministic per (seed, key) and independent of the order of requests', () => {
    const a = seededSource(7);
    const b = seededSource(7);
    const x1 = a.take('conv_in.weight', [32, 4, 3, 3]).read();
    b.take('other.weight', [8, 8]).read();
    const x2 = b.take('conv_in.weight', [32, 4, 3, 3]).read();
    expect(x2).toEqual(x1);
    expect(seededSource(8).take('conv_in.weight', [32, 4, 3, 3]).read()).not.toEqual(x1);
    expect(a.keys()).toEqual(['conv_in.weight']);
    expect(a.shape('conv_in.weight')).toEqual([32, 4, 3, 3]);
    expect(() => a.take('conv_in.weight', [32, 4])).toThrow(/asked for as \[32, 4\] after \[32, 4, 3, 3\]/);
  });

  it('follows the fixture randomization rules: fan-in scaling, norm scales near 1, small biases', () => {
    const w = stats(seededValues(1, 'down.proj.weight', [256, 64, 3, 3]));
    expect(Math.abs(w.mean)).toBeLessThan(0.01);
    expect(w.std).toBeCloseTo(1 / Math.sqrt(64 * 9), 2);
    const norm = stats(seededValues(1, 'mid.norm1.weight', [4096]));
    expect(norm.mean).toBeCloseTo(1, 1);
    expect(norm.std).toBeCloseTo(0.1, 1);
    const bias = stats(seededValues(1, 'mid.norm1.bias', [4096]));
    expect(bias.std).toBeCloseTo(0.05, 2);
    const pe = seededValues(1, 'x.pos_encoder.pe', [1, 24, 32]);
    expect(pe).toEqual(sinusoidalPositions(24, 32));
  });

  it('reproduces the official sinusoidal pos_encoder.pe buffers of the tiny ckpt', () => {
    const ckpt = openTorchZip(path.join(FIXTURES, 'tiny/MagicAnimate/temporal_attention/temporal_attention.ckpt'));
    const key = 'up_blocks.3.motion_modules.2.temporal_transformer.transformer_blocks.0.attention_blocks.1.pos_encoder.pe';
    const official = ckpt.take(key, [1, 24, 32]).read();
    const ours = sinusoidalPositions(24, 32);
    const worst = official.reduce((m, v, i) => Math.max(m, Math.abs(v - ours[i])), 0);
    expect(worst).toBeLessThan(1e-6);
  });
});

describe('shapeOnlySource', () => {
  it('serves the full-size manifest keys as zeros and checks shapes', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fullsize_state_dict_keys.json'), 'utf8')) as Record<string, { state_dict: KeyManifestRow[] }>;
    const source = shapeOnlySource('vae', manifest.vae_sd_vae_ft_mse.state_dict);
    expect(source.keys()).toHaveLength(248);
    expect(source.take('encoder.conv_in.weight', [128, 3, 3, 3]).read().every((v) => v === 0)).toBe(true);
    expect(() => source.take('encoder.conv_in.weight', [3])).toThrow(/shape-only\(vae\): weight "encoder\.conv_in\.weight" has shape \[128, 3, 3, 3\], expected \[3\]/);
  });
});
