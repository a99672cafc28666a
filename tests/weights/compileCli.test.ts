import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCompileArgs, UsageError } from '../../src/main/cli/compileModel';
import { renderBar } from '../../src/main/cli/progressBar';

const ROOT = path.resolve(__dirname, '../..');
const TINY = path.resolve(ROOT, '../shared/fixtures/magicanimate-tiny/tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const baseArgs = ['--sd15', 'a', '--vae', 'b', '--magicanimate', 'c', '--out', 'd'];

describe('compile-model arguments', () => {
  it('parses the required folders and options', () => {
    const o = parseCompileArgs([...baseArgs, '--fp16', '--text-embedding', 'e.safetensors']);
    expect(o).toMatchObject({ precision: 'fp16', sd15Dir: path.resolve('a'), outDir: path.resolve('d'), textEmbeddingPath: path.resolve('e.safetensors'), overwrite: false });
    expect(parseCompileArgs(baseArgs)?.precision).toBe('fp32');
    expect(parseCompileArgs([...baseArgs, '--precision', 'fp16'])?.precision).toBe('fp16');
    expect(() => parseCompileArgs([...baseArgs, '--precision', 'int8'])).toThrow(/--precision must be fp32 or fp16, not int8/);
    expect(() => parseCompileArgs([...baseArgs, '--fp16', '--precision', 'fp32'])).toThrow(/contradicts/);
    expect(parseCompileArgs(['--help'])).toBeNull();
  });

  it('names missing and unknown options', () => {
    expect(() => parseCompileArgs(['--sd15', 'a'])).toThrow(new UsageError('missing --vae, --magicanimate, --out (or --from DIR)'));
    expect(() => parseCompileArgs(['--from', 'a'])).toThrow(new UsageError('missing --out'));
    expect(parseCompileArgs(['--from', 'a', '--out', 'd', '--vae', 'v'])).toMatchObject({ fromDir: path.resolve('a'), vaeDir: path.resolve('v'), sd15Dir: undefined });
    expect(() => parseCompileArgs([...baseArgs, '--fp8'])).toThrow(/Unknown option '--fp8'/);
  });

  it('draws a bounded bar', () => {
    expect(renderBar(0.5, 'x')).toBe(`[${'#'.repeat(15)}${'-'.repeat(15)}]  50% x`);
    expect(renderBar(2, 'y')).toContain('100% y');
  });
});

describe('compile-model process', () => {
  it('compiles from one parent folder (the official layout, no SD1.5 UNet file) and says the UNet file is not needed', () => {
    const root = path.join(tmp, 'magic-animate', 'pretrained_models');
    const link = (from: string, to: string) => {
      fs.mkdirSync(path.dirname(path.join(root, to)), { recursive: true });
      fs.symlinkSync(path.join(TINY, from), path.join(root, to));
    };
    link('stable-diffusion-v1-5/unet/config.json', 'stable-diffusion-v1-5/unet/config.json');
    link('sd-vae-ft-mse', 'sd-vae-ft-mse');
    link('MagicAnimate', 'MagicAnimate');
    const out = path.join(tmp, 'from-model');
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/main/cli/compileModel.ts'),
        '--from', path.dirname(root), '--out', out, '--text-embedding', path.join(TINY, 'text_embedding.safetensors')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.stderr).toMatch(/found the official layout in .*magic-animate/);
    expect(run.stderr).toMatch(/note: SD1\.5 UNet weights: not present and not needed \(temporal_attention\.ckpt holds every UNet3D weight\)/);
    expect(run.status, run.stderr).toBe(0);
    expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(true);
  });

  it('exits 1 naming the file and key when a folder holds the wrong checkpoint', () => {
    // A "VAE" folder whose weights are the ControlNet's.
    const wrongVae = path.join(tmp, 'wrong-vae');
    fs.mkdirSync(wrongVae);
    fs.copyFileSync(path.join(TINY, 'sd-vae-ft-mse/config.json'), path.join(wrongVae, 'config.json'));
    fs.copyFileSync(path.join(TINY, 'MagicAnimate/densepose_controlnet/diffusion_pytorch_model.safetensors'), path.join(wrongVae, 'diffusion_pytorch_model.safetensors'));
    const out = path.join(tmp, 'model');
    const run = spawnSync(
      process.execPath,
      [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), path.join(ROOT, 'src/main/cli/compileModel.ts'),
        '--sd15', path.join(TINY, 'stable-diffusion-v1-5'), '--vae', wrongVae, '--magicanimate', path.join(TINY, 'MagicAnimate'),
        '--out', out, '--text-embedding', path.join(TINY, 'text_embedding.safetensors')],
      { encoding: 'utf8', timeout: 120_000 },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/error: .*wrong-vae\/diffusion_pytorch_model\.safetensors: missing weight "encoder\.conv_in\.weight"/);
    expect(run.stderr).not.toMatch(/\x1b\[/); // no terminal control codes when stderr is a pipe
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });
});
