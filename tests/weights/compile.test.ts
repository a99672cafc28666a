import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDemoModel, compileModel, type CompileProgress } from '../../src/main/compiler/compile';
import { readManifest, networkEntry } from '../../src/main/compiler/manifest';
import { TINY_CONFIGS } from '../../src/main/compiler/presets';
import { readSafetensorsFile } from '../../src/main/compiler/weights/safetensors';
import { createSession, float32Tensor, int64Tensor, tensorData } from '../../src/main/engine/runtime';
import { StudioFailure } from '../../src/shared/result';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny');
const TINY = path.join(FIXTURES, 'tiny');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'compile-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const tinyDirs = {
  sd15Dir: path.join(TINY, 'stable-diffusion-v1-5'),
  vaeDir: path.join(TINY, 'sd-vae-ft-mse'),
  magicAnimateDir: path.join(TINY, 'MagicAnimate'),
  textEmbeddingPath: path.join(TINY, 'text_embedding.safetensors'),
};

const worstError = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

type Feed = { data: Float32Array; dims: number[] } | { int64: number };

/** Runs one network of a model folder; returns its outputs by name. */
async function runNetwork(dir: string, file: string, feeds: Record<string, Feed>): Promise<Record<string, Float32Array>> {
  const session = await createSession(path.join(dir, file), { provider: 'cpu', threads: 1 });
  try {
    const ortFeeds = Object.fromEntries(
      Object.entries(feeds).map(([k, v]) => [k, 'int64' in v ? int64Tensor([v.int64], []) : float32Tensor(v.data, v.dims)]),
    );
    const out = await session.run(ortFeeds);
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, Float32Array.from(tensorData(v))]));
  } finally {
    await session.release();
  }
}

describe('compileModel on the tiny checkpoint set', () => {
  const outDir = path.join(tmp, 'tiny-model');
  const events: CompileProgress[] = [];

  it('writes a valid model folder whose VAE reproduces the official decode', async () => {
    const result = await compileModel({ ...tinyDirs, outDir, precision: 'fp32', onProgress: (e) => events.push(e) });
    expect(fs.existsSync(`${outDir}.partial`)).toBe(false);
    const manifest = readManifest(outDir);
    expect(manifest.configName).toBe('tiny');
    expect(manifest.frameSize).toEqual({ width: 128, height: 128 });
    expect(manifest.textEmbedding.shape).toEqual([1, 77, 32]);
    expect(manifest.sources.find((s) => s.role === 'temporalCkpt')?.fingerprint.kind).toBe('sha256');
    expect(result.unusedKeys).toEqual({});
    expect(readSafetensorsFile(path.join(outDir, 'text_embedding.safetensors')).get('text_embedding')?.data)
      .toEqual(readSafetensorsFile(tinyDirs.textEmbeddingPath).get('text_embedding')?.data);

    const decoder = networkEntry(manifest, 'vae_decoder');
    expect(decoder.inputs[0]).toEqual({ name: 'latent', dtype: 'float32', shape: ['batch', 4, 16, 16] });
    const case1 = readSafetensorsFile(path.join(FIXTURES, 'case1_vae.safetensors'));
    const input = case1.get('decode_input')!;
    const { image: decoded } = await runNetwork(outDir, decoder.file, { latent: { data: input.data, dims: input.shape } });
    const worst = worstError(decoded, case1.get('decode_output')!.data);
    expect(worst, `worst |decode - official| = ${worst}`).toBeLessThan(1e-3);
  });

  it('writes an appearance encoder that reproduces the official reference bank', async () => {
    const case2 = readSafetensorsFile(path.join(FIXTURES, 'case2_appearance_bank.safetensors'));
    const ref = case2.get('ref_latents')!;
    const sample = { data: Float32Array.from([...ref.data, ...ref.data]), dims: [2, 4, 16, 16] };
    const text = case2.get('encoder_hidden_states')!;
    const feeds = { sample, timestep: { int64: case2.get('timestep')!.data[0] }, encoder_hidden_states: { data: text.data, dims: text.shape } };
    const outputs = await runNetwork(outDir, 'appearance_encoder.onnx', feeds);
    expect(Object.keys(outputs)).toHaveLength(10);
    for (const bank of ['bank_00', 'bank_09']) {
      const worst = worstError(outputs[bank], case2.get(bank)!.data);
      expect(worst, `${bank}: worst |ours - official| = ${worst}`).toBeLessThan(1e-3);
    }
  });

  it('writes a UNet3D whose weights all come from temporal_attention.ckpt (fixture case 4)', async () => {
    const case2 = readSafetensorsFile(path.join(FIXTURES, 'case2_appearance_bank.safetensors'));
    const case3 = readSafetensorsFile(path.join(FIXTURES, 'case3_controlnet.safetensors'));
    const case4 = readSafetensorsFile(path.join(FIXTURES, 'case4_unet3d.safetensors'));
    const tensor = (t: { data: Float32Array; shape: number[] }) => ({ data: t.data, dims: t.shape });
    const feeds: Record<string, Feed> = {
      sample: tensor(case4.get('latents')!),
      timestep: { int64: case4.get('timestep')!.data[0] },
      encoder_hidden_states: tensor(case4.get('encoder_hidden_states')!),
      mid: tensor(case3.get('mid')!),
    };
    for (let i = 0; i < 12; i++) feeds[`down_${String(i).padStart(2, '0')}`] = tensor(case3.get(`down_${String(i).padStart(2, '0')}`)!);
    for (let k = 0; k < 10; k++) {
      const bank = case2.get(`bank_${String(k).padStart(2, '0')}`)!;
      const rowSize = bank.data.length / 2; // the cond row: the graph reads the reference for the cond half only
      feeds[`bank_${String(k).padStart(2, '0')}`] = { data: bank.data.slice(rowSize), dims: [1, ...bank.shape.slice(1)] };
    }
    const { noise_pred: eps } = await runNetwork(outDir, 'unet3d.onnx', feeds);
    const worst = worstError(eps, case4.get('noise_pred_ref_ctrl_bank_f32')!.data);
    expect(worst, `worst |unet3d - official| = ${worst}`).toBeLessThan(2e-3);
  });

  it('reports progress in order, per network and per tensor, ending with done', () => {
    const fractions = events.map((e) => e.fraction);
    expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
    expect(events[0].phase).toBe('text-embedding');
    expect(events.at(-1)?.phase).toBe('done');
    const net = events.filter((e): e is Extract<CompileProgress, { phase: 'network' }> => e.phase === 'network');
    const first = net.filter((e) => e.index === 0);
    expect(first.at(-1)?.tensor).toBe(first[0].tensors); // every tensor of the first network reported
  });

  it('refuses an existing output folder unless asked to overwrite', async () => {
    await expect(compileModel({ ...tinyDirs, outDir, precision: 'fp32' })).rejects.toThrow(/already exists/);
    const before = fs.statSync(path.join(outDir, 'manifest.json')).mtimeMs;
    await compileModel({ ...tinyDirs, outDir, precision: 'fp16', overwrite: true });
    const manifest = readManifest(outDir);
    expect(manifest.precision).toBe('fp16');
    expect(fs.statSync(path.join(outDir, 'manifest.json')).mtimeMs).toBeGreaterThanOrEqual(before);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('.old-') || n.endsWith('.partial'))).toEqual([]);
  });

  it('writes external .onnx.data files above the inline limit, and the manifest guards them', async () => {
    const external = path.join(tmp, 'external');
    await compileModel({ ...tinyDirs, outDir: external, precision: 'fp16', inlineWeightsLimit: 0 });
    const manifest = readManifest(external);
    const decoder = networkEntry(manifest, 'vae_decoder');
    expect(decoder.dataFile).toBe('vae_decoder.onnx.data');
    const case1 = readSafetensorsFile(path.join(FIXTURES, 'case1_vae.safetensors'));
    const input = case1.get('decode_input')!;
    const { image } = await runNetwork(external, decoder.file, { latent: { data: input.data, dims: input.shape } });
    const worst = worstError(image, case1.get('decode_output')!.data);
    expect(worst, `fp16 weights: worst |decode - official| = ${worst}`).toBeLessThan(0.05);
    fs.truncateSync(path.join(external, 'vae_decoder.onnx.data'), 100);
    expect(() => readManifest(external)).toThrow(/vae_decoder\.onnx\.data has 100 bytes/);
  });

  it('leaves no folder behind when cancelled mid-write', async () => {
    const controller = new AbortController();
    const cancelledOut = path.join(tmp, 'cancelled');
    const run = compileModel({
      ...tinyDirs,
      outDir: cancelledOut,
      precision: 'fp32',
      signal: controller.signal,
      onProgress: (e) => {
        if (e.phase === 'network' && e.tensor === 5) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(fs.existsSync(cancelledOut)).toBe(false);
    expect(fs.existsSync(`${cancelledOut}.partial`)).toBe(false);
  });

  it('names the missing folder or file', async () => {
    const attempt = (o: Partial<typeof tinyDirs>) => compileModel({ ...tinyDirs, ...o, outDir: path.join(tmp, 'never'), precision: 'fp32' });
    await expect(attempt({ vaeDir: path.join(tmp, 'no-vae') })).rejects.toThrow(/the VAE folder .*no-vae is not a folder/);
    await expect(attempt({ magicAnimateDir: path.join(TINY, 'sd-vae-ft-mse') })).rejects.toThrow(/missing appearance encoder config: .*appearance_encoder\/config\.json/);
    await expect(attempt({ textEmbeddingPath: path.join(tmp, 'none.safetensors') })).rejects.toThrow(/the text embedding file .*none\.safetensors does not exist/);
    await expect(attempt({ sd15Dir: path.join(TINY, 'sd-vae-ft-mse') })).rejects.toBeInstanceOf(StudioFailure);
    expect(fs.existsSync(path.join(tmp, 'never.partial'))).toBe(false);
  });
});

describe('buildDemoModel', () => {
  it('builds the tiny configuration with seeded weights, deterministically', async () => {
    const a = await buildDemoModel(path.join(tmp, 'data-a'));
    const b = await buildDemoModel(path.join(tmp, 'data-b'));
    expect(a.dir).toBe(path.join(tmp, 'data-a', 'models', 'demo'));
    const manifest = readManifest(a.dir);
    expect(manifest.configs.unet).toEqual(TINY_CONFIGS.unet);
    for (const net of manifest.networks) {
      expect(fs.readFileSync(path.join(a.dir, net.file)).equals(fs.readFileSync(path.join(b.dir, net.file))), net.file).toBe(true);
    }
    const { image } = await runNetwork(a.dir, 'vae_decoder.onnx', { latent: { data: new Float32Array(4 * 16 * 16).fill(0.5), dims: [1, 4, 16, 16] } });
    expect(image.length).toBe(3 * 128 * 128);
    expect(image.every(Number.isFinite)).toBe(true);
  });
});
