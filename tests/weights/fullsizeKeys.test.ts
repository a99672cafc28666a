// Builds every network's full-size (SD1.5 / MagicAnimate) graph structure from the official key
// manifests, with zero-valued shape-only weights, and checks that the builders consume exactly the
// keys the real checkpoints hold: nothing missing (the build would throw, naming the key) and
// nothing left over.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from '../../src/main/compiler/configs';
import { buildAppearanceEncoder, buildControlNet, buildUNet3D, buildVaeDecoder, buildVaeEncoder } from '../../src/main/compiler/networks';
import { renamedSource, unet3dSource } from '../../src/main/compiler/weights/overlay';
import { shapeOnlySource, type KeyManifestRow } from '../../src/main/compiler/weights/seeded';
import type { WeightSource } from '../../src/main/compiler/weights/source';
import { MOTION_MODULE_KWARGS } from '../../src/main/compiler/presets';

interface NetworkKeys {
  config: Record<string, unknown>;
  unet_additional_kwargs?: Record<string, unknown>;
  state_dict: KeyManifestRow[];
  legacy_attention_key_names?: Record<string, string>;
}

const MANIFEST = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/fullsize_state_dict_keys.json');
const fullsize = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, NetworkKeys>;

function unusedKeys(source: WeightSource): string[] {
  const used = source.usedKeys();
  return source.keys().filter((k) => !used.has(k));
}

/** One line per network for the CI log: keys in the manifest, taken by the builder, left over. */
function report(network: string, source: WeightSource): void {
  const unused = unusedKeys(source);
  console.log(`full-size ${network}: ${source.keys().length} keys in the manifest, ${source.usedKeys().size} taken, ${unused.length} unused${unused.length ? ` (${unused.slice(0, 5).join(', ')}…)` : ''}, 0 missing (a missing key fails the build, naming it)`);
}

describe('full-size key coverage', () => {
  it('VAE (sd-vae-ft-mse, legacy mid-block attention names): encoder + decoder use every key', () => {
    const entry = fullsize.vae_sd_vae_ft_mse;
    const legacy = entry.legacy_attention_key_names ?? {};
    expect(Object.keys(legacy)).toHaveLength(16);
    // The real file stores the mid-block attention under the legacy names, as the tiny fixture does.
    const source = renamedSource(shapeOnlySource('vae', entry.state_dict), (k) => legacy[k] ?? k);
    const cfg = parseVaeConfig(entry.config);
    buildVaeEncoder(cfg, source, { height: 512, width: 512 });
    buildVaeDecoder(cfg, source, { height: 512, width: 512 });
    report('VAE', source);
    expect(unusedKeys(source)).toEqual([]);
    expect(source.usedKeys().size).toBe(248);
  });

  it('appearance encoder: every key, including the stubbed last up attention', () => {
    const entry = fullsize.appearance_encoder;
    const source = shapeOnlySource('appearance_encoder', entry.state_dict);
    const net = buildAppearanceEncoder(parseUNetConfig(entry.config, 'appearance encoder'), source, { height: 64, width: 64 });
    report('appearance encoder', source);
    expect(unusedKeys(source)).toEqual([]);
    expect(net.bankEntries).toHaveLength(10);
    expect(net.bankEntries.at(-1)?.modulePath).toBe('up_blocks.3.attentions.2.transformer_blocks.0');
  });

  it('DensePose ControlNet: every key', () => {
    const entry = fullsize.controlnet_densepose;
    const source = shapeOnlySource('controlnet', entry.state_dict);
    const net = buildControlNet(parseControlNetConfig(entry.config), source, { height: 64, width: 64 });
    report('ControlNet', source);
    expect(unusedKeys(source)).toEqual([]);
    expect(net.outputs.map((o) => o.name)).toHaveLength(13);
  });

  it('UNet3D: every key of the full temporal_attention.ckpt (spatial + motion modules + pe buffers), none from the .bin', () => {
    const entry = fullsize.unet3d_magicanimate;
    const ckpt = shapeOnlySource('temporal_attention.ckpt', entry.state_dict);
    const bin = shapeOnlySource('unet .bin', fullsize.unet2d_sd15.state_dict);
    const source = unet3dSource(bin, ckpt);
    const motion = parseMotionModuleConfig(entry.unet_additional_kwargs);
    const net = buildUNet3D(parseUNetConfig(entry.config, 'UNet3D'), motion, source, { height: 64, width: 64 });
    report('UNet3D (temporal_attention.ckpt)', ckpt);
    expect(unusedKeys(ckpt)).toEqual([]);
    expect(ckpt.usedKeys().size).toBe(1246);
    expect(bin.usedKeys().size).toBe(0);
    expect(net.bankSlots).toHaveLength(10);
  });

  it('the tiny presets use the same motion-module settings as the real inference.yaml', () => {
    expect(fullsize.unet3d_magicanimate.unet_additional_kwargs).toEqual(MOTION_MODULE_KWARGS);
  });
});
