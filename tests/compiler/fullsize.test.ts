// The builders on the real SD1.5 / MagicAnimate key manifests (shapes only, nothing is read): every
// checkpoint key must be taken with its real shape, and the I/O shapes must be the 512-px ones.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from '../../src/main/compiler/configs';
import { buildAppearanceEncoder, buildControlNet, buildVaeDecoder, buildVaeEncoder } from '../../src/main/compiler/networks';
import { shapeOnlySource, type KeyManifestRow } from '../../src/main/compiler/weights/seeded';
import type { WeightSource } from '../../src/main/compiler/weights/source';
import { FIXTURES } from './fixtureCompare';

interface ManifestEntry {
  config: unknown;
  state_dict: KeyManifestRow[];
  legacy_attention_key_names?: Record<string, string>;
  unet_additional_kwargs?: unknown;
}
const manifest = JSON.parse(readFileSync(join(FIXTURES, 'fullsize_state_dict_keys.json'), 'utf8')) as Record<string, ManifestEntry>;

const unused = (w: WeightSource) => w.keys().filter((k) => !w.usedKeys().has(k));

describe('full-size graphs from the key manifests', () => {
  it('VAE encoder and decoder (modern and legacy attention names) take every key', () => {
    const entry = manifest.vae_sd_vae_ft_mse;
    const cfg = parseVaeConfig(entry.config);
    const legacy = entry.legacy_attention_key_names ?? {};
    expect(Object.keys(legacy)).toHaveLength(16);
    for (const rows of [entry.state_dict, entry.state_dict.map(([k, s, t]) => [legacy[k] ?? k, s, t] as const)]) {
      const w = shapeOnlySource('vae', rows);
      const enc = buildVaeEncoder(cfg, w, { height: 512, width: 512 });
      const dec = buildVaeDecoder(cfg, w, { height: 512, width: 512 });
      expect(enc.outputs[0].shape).toEqual(['batch', 4, 64, 64]);
      expect(dec.outputs[0].shape).toEqual(['batch', 3, 512, 512]);
      expect(unused(w)).toEqual([]);
    }
  });

  it('appearance encoder takes every key and writes the SD1.5 bank', () => {
    const entry = manifest.appearance_encoder;
    const w = shapeOnlySource('appearance_encoder', entry.state_dict);
    const net = buildAppearanceEncoder(parseUNetConfig(entry.config), w);
    expect(net.bankEntries.map((e) => `${e.tokens}x${e.channels}`)).toEqual([
      '64x1280', ...Array(3).fill('256x1280'), ...Array(3).fill('1024x640'), ...Array(3).fill('4096x320'),
    ]);
    expect(unused(w)).toEqual([]);
  });

  it('ControlNet takes every key and emits the 13 SD1.5 residuals', () => {
    const entry = manifest.controlnet_densepose;
    const w = shapeOnlySource('controlnet', entry.state_dict);
    const net = buildControlNet(parseControlNetConfig(entry.config), w, { height: 64, width: 64 });
    expect(net.inputs.find((i) => i.name === 'controlnet_cond')?.shape).toEqual(['batch', 3, 512, 512]);
    expect(net.outputs.map((o) => o.shape[1])).toEqual([320, 320, 320, 320, 640, 640, 640, 1280, 1280, 1280, 1280, 1280, 1280]);
    expect(unused(w)).toEqual([]);
  });

  it('builds portrait graphs (compile-model --size 512x768): the non-square shapes line up through every skip', () => {
    const vae = manifest.vae_sd_vae_ft_mse;
    const dec = buildVaeDecoder(parseVaeConfig(vae.config), shapeOnlySource('vae', vae.state_dict.map(([k, s, t]) => [vae.legacy_attention_key_names?.[k] ?? k, s, t] as const)), { height: 768, width: 512 });
    expect(dec.outputs[0].shape).toEqual(['batch', 3, 768, 512]);
    const ctrl = buildControlNet(parseControlNetConfig(manifest.controlnet_densepose.config), shapeOnlySource('controlnet', manifest.controlnet_densepose.state_dict), { height: 96, width: 64 });
    expect(ctrl.inputs.find((i) => i.name === 'controlnet_cond')?.shape).toEqual(['batch', 3, 768, 512]);
    expect(ctrl.outputs.at(-1)?.shape.slice(1)).toEqual([1280, 12, 8]);
    const app = buildAppearanceEncoder(parseUNetConfig(manifest.appearance_encoder.config), shapeOnlySource('appearance_encoder', manifest.appearance_encoder.state_dict), { height: 96, width: 64 });
    expect(app.bankEntries.map((e) => e.tokens)).toEqual([96, 384, 384, 384, 1536, 1536, 1536, 6144, 6144, 6144]);
  });

  it('parses the UNet3D config and its motion-module kwargs', () => {
    const entry = manifest.unet3d_magicanimate;
    const cfg = parseUNetConfig(entry.config);
    expect(cfg.downBlockTypes).toEqual(['CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'CrossAttnDownBlock2D', 'DownBlock2D']);
    expect(cfg.headsPerBlock).toEqual([8, 8, 8, 8]);
    expect(cfg.timeEmbedDim).toBe(1280);
    expect(parseMotionModuleConfig(entry.unet_additional_kwargs)).toMatchObject({ heads: 8, maxFrames: 24, resolutions: [1, 2, 4, 8] });
  });
});
