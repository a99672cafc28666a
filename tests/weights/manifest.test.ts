import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoModel } from '../../src/main/compiler/compile';
import { fingerprintFile, manifestFrameSize, readManifest, writeManifest, SHA256_LIMIT_BYTES } from '../../src/main/compiler/manifest';
import { TINY_CONFIGS } from '../../src/main/compiler/presets';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'manifest-test-'));
let modelDir = '';
beforeAll(async () => {
  modelDir = (await buildDemoModel(tmp)).dir;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the demo folder to damage. */
function copyModel(name: string): string {
  const dir = path.join(tmp, name);
  fs.cpSync(modelDir, dir, { recursive: true });
  return dir;
}

describe('manifest', () => {
  it('round-trips through write and read', () => {
    const manifest = readManifest(modelDir);
    expect(manifest.formatVersion).toBe(1);
    expect(manifest.networks.map((n) => n.name)).toContain('vae_decoder');
    const dir = copyModel('roundtrip');
    writeManifest(dir, { ...manifest, name: 'renamed' });
    expect(readManifest(dir).name).toBe('renamed');
  });

  it('reads the frame size, also from folders written before frameSize (square resolution)', () => {
    expect(manifestFrameSize(readManifest(modelDir))).toEqual({ width: 128, height: 128 });
    const older = copyModel('older');
    const { frameSize: _dropped, ...rest } = JSON.parse(fs.readFileSync(path.join(older, 'manifest.json'), 'utf8'));
    fs.writeFileSync(path.join(older, 'manifest.json'), JSON.stringify({ ...rest, resolution: 128 }));
    expect(manifestFrameSize(readManifest(older))).toEqual({ width: 128, height: 128 });
    fs.writeFileSync(path.join(older, 'manifest.json'), JSON.stringify(rest));
    expect(() => readManifest(older)).toThrow(/frameSize: the frame size is missing; compile the model again/);
  });

  it('names a missing or truncated network file', () => {
    const missing = copyModel('missing');
    fs.rmSync(path.join(missing, 'vae_encoder.onnx'));
    expect(() => readManifest(missing)).toThrow(/missing vae_encoder\.onnx/);
    const truncated = copyModel('truncated');
    const file = path.join(truncated, 'vae_decoder.onnx');
    fs.truncateSync(file, 1000);
    expect(() => readManifest(truncated)).toThrow(/vae_decoder\.onnx has 1000 bytes, the manifest records \d+ \(truncated or replaced\?\)/);
  });

  it('rejects a corrupt manifest, a wrong version and paths that leave the folder', () => {
    const dir = copyModel('corrupt');
    const file = path.join(dir, 'manifest.json');
    const good = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, '{"formatVersion": 1');
    expect(() => readManifest(dir)).toThrow(/manifest\.json is not valid JSON/);
    fs.writeFileSync(file, JSON.stringify({ ...good, formatVersion: 2 }));
    expect(() => readManifest(dir)).toThrow(/not a valid manifest: formatVersion/);
    good.networks[0].file = '../../etc/passwd';
    fs.writeFileSync(file, JSON.stringify(good));
    expect(() => readManifest(dir)).toThrow(/names a file outside the folder/);
    expect(() => readManifest(path.join(tmp, 'nothing'))).toThrow(/no manifest\.json in .*not a compiled model folder/);
  });

  it('fingerprints small files by sha256 and huge ones by size and mtime', async () => {
    const print = await fingerprintFile('vaeConfig', path.join(FIXTURES, 'sd-vae-ft-mse/config.json'));
    expect(print.fingerprint.kind).toBe('sha256');
    expect(print.sizeBytes).toBe(543);
    const sparse = path.join(tmp, 'huge.bin');
    fs.writeFileSync(sparse, '');
    fs.truncateSync(sparse, SHA256_LIMIT_BYTES + 1); // sparse: no disk used
    const big = await fingerprintFile('unet', sparse);
    expect(big.fingerprint.kind).toBe('size-mtime');
  });

  it('keeps the tiny presets identical to the fixture config.json files', () => {
    const read = (p: string) => JSON.parse(fs.readFileSync(path.join(FIXTURES, p), 'utf8')) as Record<string, unknown>;
    const pairs: [Record<string, unknown>, Record<string, unknown>][] = [
      [TINY_CONFIGS.unet, read('stable-diffusion-v1-5/unet/config.json')],
      [TINY_CONFIGS.appearanceEncoder, read('MagicAnimate/appearance_encoder/config.json')],
      [TINY_CONFIGS.controlnet, read('MagicAnimate/densepose_controlnet/config.json')],
      [TINY_CONFIGS.vae, read('sd-vae-ft-mse/config.json')],
    ];
    for (const [preset, fixture] of pairs) {
      for (const [key, value] of Object.entries(preset)) {
        if (key in fixture) expect(value, key).toEqual(fixture[key]);
      }
    }
    const fixtureConfig = JSON.parse(fs.readFileSync(path.join(FIXTURES, '../config.json'), 'utf8'));
    expect(TINY_CONFIGS.motionModule).toEqual(fixtureConfig.unet3d_unet_additional_kwargs);
  });
});
