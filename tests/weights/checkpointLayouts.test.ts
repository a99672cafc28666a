// Checkpoint sets as people store them (issue 15): the fp16 variant's file names, a Hugging Face
// cache, the official pretrained_models/ layout, folders side by side under any names, a legacy
// torch.save ckpt, no SD1.5 UNet file. Each layout is built in a temp dir from the tiny fixtures
// (links and renames) and must compile to the same networks as the plain layout.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findCheckpointFolders } from '../../src/main/compiler/checkpointFolders';
import { compileModel, type CompileProgress } from '../../src/main/compiler/compile';
import { openTorchZip } from '../../src/main/compiler/weights/torchZip';
import { legacyTorchSave } from './torchLegacyWriter';

const TINY = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny');
const EMBEDDING = path.join(TINY, 'text_embedding.safetensors');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'layouts-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The tiny set's files, relative to each of its three folders. */
const FILES = {
  sd15: ['unet/config.json', 'unet/diffusion_pytorch_model.bin'],
  vae: ['config.json', 'diffusion_pytorch_model.safetensors'],
  magicAnimate: [
    'appearance_encoder/config.json',
    'appearance_encoder/diffusion_pytorch_model.safetensors',
    'densepose_controlnet/config.json',
    'densepose_controlnet/diffusion_pytorch_model.safetensors',
    'temporal_attention/temporal_attention.ckpt',
  ],
};
const SOURCE = { sd15: path.join(TINY, 'stable-diffusion-v1-5'), vae: path.join(TINY, 'sd-vae-ft-mse'), magicAnimate: path.join(TINY, 'MagicAnimate') };
type Set3 = keyof typeof FILES;

/** Links the tiny files of one folder into `dir`, renaming with `rename` (null leaves a file out). */
function linkFolder(set: Set3, dir: string, rename: (file: string) => string | null = (f) => f): void {
  for (const file of FILES[set]) {
    const target = rename(file);
    if (target === null) continue;
    fs.mkdirSync(path.dirname(path.join(dir, target)), { recursive: true });
    fs.symlinkSync(path.join(SOURCE[set], file), path.join(dir, target));
  }
}

function linkAll(root: string, names = { sd15: 'stable-diffusion-v1-5', vae: 'sd-vae-ft-mse', magicAnimate: 'MagicAnimate' }, rename?: (file: string) => string | null) {
  const dirs = { sd15Dir: path.join(root, names.sd15), vaeDir: path.join(root, names.vae), magicAnimateDir: path.join(root, names.magicAnimate) };
  linkFolder('sd15', dirs.sd15Dir, rename);
  linkFolder('vae', dirs.vaeDir, rename);
  linkFolder('magicAnimate', dirs.magicAnimateDir, rename);
  return dirs;
}

/** A Hugging Face cache repo: blobs/ hold the files, snapshots/<hash>/ links to them, refs/main names the hash. */
function hfRepo(hub: string, repo: string, set: Set3, rename?: (file: string) => string | null): void {
  const root = path.join(hub, `models--${repo.replace('/', '--')}`);
  const hash = 'a'.repeat(40);
  fs.mkdirSync(path.join(root, 'refs'), { recursive: true });
  fs.writeFileSync(path.join(root, 'refs', 'main'), hash);
  fs.mkdirSync(path.join(root, 'snapshots', 'b'.repeat(40)), { recursive: true }); // an older snapshot, not main
  const snapshot = path.join(root, 'snapshots', hash);
  FILES[set].forEach((file, i) => {
    const target = rename ? rename(file) : file;
    if (target === null) return;
    const blob = path.join(root, 'blobs', `blob${i}`);
    fs.mkdirSync(path.dirname(blob), { recursive: true });
    fs.copyFileSync(path.join(SOURCE[set], file), blob);
    fs.mkdirSync(path.dirname(path.join(snapshot, target)), { recursive: true });
    fs.symlinkSync(path.relative(path.dirname(path.join(snapshot, target)), blob), path.join(snapshot, target));
  });
}

const compile = (dirs: { sd15Dir: string; vaeDir: string; magicAnimateDir: string }, name: string, onProgress?: (e: CompileProgress) => void) =>
  compileModel({ ...dirs, textEmbeddingPath: EMBEDDING, outDir: path.join(tmp, 'out', name), precision: 'fp32', onProgress });

const networkBytes = (dir: string, net: string): Buffer => fs.readFileSync(path.join(dir, `${net}.onnx`));
const NETS = ['vae_encoder', 'vae_decoder', 'appearance_encoder', 'controlnet', 'unet3d'];

let reference: string;
beforeAll(async () => {
  reference = (await compile({ sd15Dir: SOURCE.sd15, vaeDir: SOURCE.vae, magicAnimateDir: SOURCE.magicAnimate }, 'reference')).dir;
}, 120_000);

function expectSameNetworks(dir: string): void {
  for (const net of NETS) expect(networkBytes(dir, net).equals(networkBytes(reference, net)), net).toBe(true);
}

describe('checkpoint layouts', () => {
  it('the fp16 variant names (*.fp16.safetensors, *.fp16.bin) compile', async () => {
    const dirs = linkAll(path.join(tmp, 'fp16'), undefined, (f) => f.replace(/\.(safetensors|bin)$/, '.fp16.$1'));
    expect(fs.existsSync(path.join(dirs.vaeDir, 'diffusion_pytorch_model.fp16.safetensors'))).toBe(true);
    const result = await compile(dirs, 'fp16');
    expectSameNetworks(result.dir);
  }, 120_000);

  it('a Hugging Face cache snapshot compiles, found from the cache folder or given repo by repo', async () => {
    const hub = path.join(tmp, 'hf', 'hub');
    hfRepo(hub, 'runwayml/stable-diffusion-v1-5', 'sd15', (f) => f.replace('diffusion_pytorch_model.bin', 'diffusion_pytorch_model.fp16.safetensors.unused'));
    hfRepo(hub, 'stabilityai/sd-vae-ft-mse', 'vae');
    hfRepo(hub, 'zcxu-eric/MagicAnimate', 'magicAnimate');
    fs.mkdirSync(path.join(hub, 'models--someone--unrelated', 'snapshots'), { recursive: true });
    const found = findCheckpointFolders(path.join(tmp, 'hf')); // ~/.cache/huggingface, which holds hub/
    expect(found.layout).toBe('huggingface-cache');
    expect(found.sd15Dir).toBe(path.join(hub, 'models--runwayml--stable-diffusion-v1-5', 'snapshots', 'a'.repeat(40)));
    expect(findCheckpointFolders(hub)).toEqual(found);
    const result = await compile(found, 'hf');
    expectSameNetworks(result.dir);
    // The repo folders themselves stand for their snapshot too.
    const repos = {
      sd15Dir: path.join(hub, 'models--runwayml--stable-diffusion-v1-5'),
      vaeDir: path.join(hub, 'models--stabilityai--sd-vae-ft-mse'),
      magicAnimateDir: path.join(hub, 'models--zcxu-eric--MagicAnimate'),
    };
    expect((await compile(repos, 'hf-repos')).manifest.sources.find((s) => s.role === 'vaeWeights')?.path).toContain('snapshots');
  }, 120_000);

  it('the official pretrained_models/ layout compiles, found from the repo folder or pretrained_models itself', async () => {
    const repo = path.join(tmp, 'magic-animate');
    linkAll(path.join(repo, 'pretrained_models'));
    const found = findCheckpointFolders(repo);
    expect(found).toEqual({ ...linkAllPaths(path.join(repo, 'pretrained_models')), layout: 'official' });
    expect(findCheckpointFolders(path.join(repo, 'pretrained_models')).layout).toBe('official');
    expectSameNetworks((await compile(found, 'official')).dir);
  }, 120_000);

  it('three folders side by side under any names are recognised by their contents', () => {
    const root = path.join(tmp, 'mine');
    const dirs = linkAll(root, { sd15: 'sd', vae: 'my vae', magicAnimate: 'ma-weights' });
    fs.mkdirSync(path.join(root, 'holiday photos'));
    expect(findCheckpointFolders(root)).toEqual({ ...dirs, layout: 'side-by-side' });
  });

  it('names what is missing, and refuses the checkpoint folder itself or two candidates', () => {
    const root = path.join(tmp, 'partial-set');
    linkFolder('sd15', path.join(root, 'stable-diffusion-v1-5'));
    linkFolder('magicAnimate', path.join(root, 'MagicAnimate'));
    expect(() => findCheckpointFolders(root)).toThrow(/no sd-vae-ft-mse VAE folder found in .*partial-set/);
    expect(() => findCheckpointFolders(path.join(root, 'MagicAnimate'))).toThrow(/is the MagicAnimate folder itself/);
    linkFolder('vae', path.join(root, 'vae-a'));
    linkFolder('vae', path.join(root, 'vae-b'));
    expect(() => findCheckpointFolders(root)).toThrow(/holds several sd-vae-ft-mse VAE folders \(vae-a, vae-b\)/);
  });

  it('a legacy (pre-zip) torch.save temporal_attention.ckpt compiles to the same UNet3D', async () => {
    const dirs = linkAll(path.join(tmp, 'legacy'), undefined, (f) => (f.endsWith('.ckpt') ? null : f));
    const zip = openTorchZip(path.join(SOURCE.magicAnimate, FILES.magicAnimate[4]));
    const tensors = zip.keys().map((key) => ({ key, shape: [...(zip.shape(key) ?? [])], data: zip.take(key, [...(zip.shape(key) ?? [])]).read() }));
    fs.mkdirSync(path.join(dirs.magicAnimateDir, 'temporal_attention'), { recursive: true });
    fs.writeFileSync(path.join(dirs.magicAnimateDir, 'temporal_attention/temporal_attention.ckpt'), legacyTorchSave(tensors, true));
    expectSameNetworks((await compile(dirs, 'legacy')).dir);
  }, 120_000);
});

function linkAllPaths(root: string) {
  return { sd15Dir: path.join(root, 'stable-diffusion-v1-5'), vaeDir: path.join(root, 'sd-vae-ft-mse'), magicAnimateDir: path.join(root, 'MagicAnimate') };
}

describe('checked before anything is written', () => {
  it('a truncated ckpt is refused before any .onnx (or the text embedding) is written', async () => {
    const dirs = linkAll(path.join(tmp, 'cut'), undefined, (f) => (f.endsWith('.ckpt') ? null : f));
    const whole = fs.readFileSync(path.join(SOURCE.magicAnimate, FILES.magicAnimate[4]));
    const ckpt = path.join(dirs.magicAnimateDir, 'temporal_attention/temporal_attention.ckpt');
    fs.mkdirSync(path.dirname(ckpt), { recursive: true });
    for (const cut of [Math.floor(whole.length / 2), whole.length - 10]) {
      fs.writeFileSync(ckpt, whole.subarray(0, cut));
      const events: CompileProgress[] = [];
      const out = path.join(tmp, 'out', 'cut');
      await expect(compile(dirs, 'cut', (e) => events.push(e))).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringContaining(ckpt) });
      expect(events).toEqual([]);
      expect(fs.existsSync(out) || fs.existsSync(`${out}.partial`)).toBe(false);
    }
  });

  it('a weight of the wrong shape in the last network is refused before the first is written', async () => {
    const dirs = linkAll(path.join(tmp, 'shape'));
    const controlnetConfig = path.join(dirs.magicAnimateDir, 'densepose_controlnet/config.json');
    const config = JSON.parse(fs.readFileSync(controlnetConfig, 'utf8'));
    fs.rmSync(controlnetConfig);
    fs.writeFileSync(controlnetConfig, JSON.stringify({ ...config, conditioning_embedding_out_channels: [16, 32, 96, 128] }));
    const events: CompileProgress[] = [];
    await expect(compile(dirs, 'shape', (e) => events.push(e))).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringMatching(/has shape .*expected/) });
    expect(events).toEqual([]);
  });

  it('a config value beyond any real checkpoint is refused, naming the file and key', async () => {
    const dirs = linkAll(path.join(tmp, 'bounds'));
    const vaeConfig = path.join(dirs.vaeDir, 'config.json');
    const config = JSON.parse(fs.readFileSync(vaeConfig, 'utf8'));
    fs.rmSync(vaeConfig);
    fs.writeFileSync(vaeConfig, JSON.stringify({ ...config, block_out_channels: [32, 32, 64, 1_000_000] }));
    await expect(compile(dirs, 'bounds')).rejects.toMatchObject({ code: 'model_invalid', message: expect.stringMatching(/config\.json: "block_out_channels" is 1000000/) });
  });
});

describe('the SD1.5 UNet file', () => {
  it('is reported as not needed when missing, since the ckpt holds every UNet3D weight', async () => {
    const dirs = linkAll(path.join(tmp, 'no-bin'), undefined, (f) => (f.endsWith('.bin') ? null : f));
    const result = await compile(dirs, 'no-bin');
    expect(result.notNeeded).toEqual([{ role: 'unetWeights', file: null, reason: 'temporal_attention.ckpt holds every UNet3D weight' }]);
    expect(result.manifest.sources.map((s) => s.role)).not.toContain('unetWeights');
    expectSameNetworks(result.dir);
  }, 120_000);

  it('is not needed (nor fingerprinted) when present either', async () => {
    const result = await compileModel({ sd15Dir: SOURCE.sd15, vaeDir: SOURCE.vae, magicAnimateDir: SOURCE.magicAnimate, textEmbeddingPath: EMBEDDING, outDir: path.join(tmp, 'out', 'with-bin'), precision: 'fp32' });
    expect(result.notNeeded).toEqual([{ role: 'unetWeights', file: path.join(SOURCE.sd15, 'unet/diffusion_pytorch_model.bin'), reason: 'temporal_attention.ckpt holds every UNet3D weight' }]);
    expect(result.manifest.sources.map((s) => s.role)).not.toContain('unetWeights');
  }, 120_000);

  it('is required, with the missing key named, when the ckpt holds only motion modules', async () => {
    const dirs = linkAll(path.join(tmp, 'motion-only'), undefined, (f) => (f.endsWith('.bin') || f.endsWith('.ckpt') ? null : f));
    const zip = openTorchZip(path.join(SOURCE.magicAnimate, FILES.magicAnimate[4]));
    const motion = zip.keys().filter((k) => k.includes('.motion_modules.'));
    const tensors = motion.map((key) => ({ key, shape: [...(zip.shape(key) ?? [])], data: zip.take(key, [...(zip.shape(key) ?? [])]).read() }));
    const ckpt = path.join(dirs.magicAnimateDir, 'temporal_attention/temporal_attention.ckpt');
    fs.mkdirSync(path.dirname(ckpt), { recursive: true });
    fs.writeFileSync(ckpt, legacyTorchSave(tensors));
    await expect(compile(dirs, 'motion-only')).rejects.toMatchObject({ code: 'model_missing', message: expect.stringMatching(/lacks the UNet weight "[^"]+" and the SD1.5 folder has no unet/) });
    fs.symlinkSync(path.join(SOURCE.sd15, 'unet/diffusion_pytorch_model.bin'), path.join(dirs.sd15Dir, 'unet/diffusion_pytorch_model.bin'));
    const result = await compile(dirs, 'motion-only');
    expect(result.notNeeded).toEqual([]);
    expect(result.manifest.sources.map((s) => s.role)).toContain('unetWeights');
  }, 120_000);
});
