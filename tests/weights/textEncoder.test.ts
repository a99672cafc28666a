import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSession, int64Tensor, tensorData } from '../../src/main/engine/runtime';
import { saveToBuffer } from '../../src/main/compiler/onnx';
import { buildTextEncoder, emptyPromptTokens, parseClipTextConfig, type ClipTextConfig } from '../../src/main/compiler/textEncoder';
import { computeEmptyPromptEmbedding, loadTextEmbedding } from '../../src/main/compiler/textEmbedding';
import { seededSource, seededValues } from '../../src/main/compiler/weights/seeded';
import { writeSafetensors } from '../../src/main/compiler/weights/safetensors';

const FIXTURE_EMBEDDING = path.resolve(__dirname, '../../../shared/fixtures/magicanimate-tiny/tiny/text_embedding.safetensors');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'clip-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const TINY: ClipTextConfig = parseClipTextConfig({
  vocab_size: 60, hidden_size: 16, intermediate_size: 24, num_attention_heads: 2, num_hidden_layers: 2, max_position_embeddings: 8,
});
const SEED = 5;
const w = (key: string, shape: number[]) => seededValues(SEED, `text_model.${key}`, shape);

// A direct float64 CLIPTextModel forward (transformers modeling_clip), the reference for the graph.
function linear(x: number[][], key: string, out: number): number[][] {
  const inF = x[0].length;
  const weight = w(`${key}.weight`, [out, inF]);
  const bias = w(`${key}.bias`, [out]);
  return x.map((row) => Array.from({ length: out }, (_, o) => row.reduce((s, v, i) => s + v * weight[o * inF + i], bias[o])));
}
function layerNorm(x: number[][], key: string, c: ClipTextConfig): number[][] {
  const scale = w(`${key}.weight`, [c.hidden_size]);
  const shift = w(`${key}.bias`, [c.hidden_size]);
  return x.map((row) => {
    const mean = row.reduce((a, b) => a + b, 0) / row.length;
    const variance = row.reduce((a, b) => a + (b - mean) ** 2, 0) / row.length;
    return row.map((v, i) => ((v - mean) / Math.sqrt(variance + c.layer_norm_eps)) * scale[i] + shift[i]);
  });
}
function causalSelfAttention(x: number[][], key: string, c: ClipTextConfig): number[][] {
  const [q, k, v] = ['q_proj', 'k_proj', 'v_proj'].map((p) => linear(x, `${key}.${p}`, c.hidden_size));
  const d = c.hidden_size / c.num_attention_heads;
  const merged = x.map(() => new Array<number>(c.hidden_size).fill(0));
  for (let h = 0; h < c.num_attention_heads; h++) {
    for (let i = 0; i < x.length; i++) {
      const scores = Array.from({ length: i + 1 }, (_, j) => q[i].slice(h * d, h * d + d).reduce((s, qv, t) => s + qv * k[j][h * d + t], 0) / Math.sqrt(d));
      const top = Math.max(...scores);
      const exps = scores.map((s) => Math.exp(s - top));
      const total = exps.reduce((a, b) => a + b, 0);
      for (let j = 0; j <= i; j++) for (let t = 0; t < d; t++) merged[i][h * d + t] += (exps[j] / total) * v[j][h * d + t];
    }
  }
  return linear(merged, `${key}.out_proj`, c.hidden_size);
}
function referenceForward(ids: number[], c: ClipTextConfig): number[][] {
  const table = w('embeddings.token_embedding.weight', [c.vocab_size, c.hidden_size]);
  const positions = w('embeddings.position_embedding.weight', [c.max_position_embeddings, c.hidden_size]);
  let h = ids.map((id, p) => Array.from({ length: c.hidden_size }, (_, i) => table[id * c.hidden_size + i] + positions[p * c.hidden_size + i]));
  const add = (a: number[][], b: number[][]) => a.map((row, i) => row.map((v, j) => v + b[i][j]));
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const key = `encoder.layers.${l}`;
    h = add(h, causalSelfAttention(layerNorm(h, `${key}.layer_norm1`, c), `${key}.self_attn`, c));
    const hidden = linear(layerNorm(h, `${key}.layer_norm2`, c), `${key}.mlp.fc1`, c.intermediate_size).map((r) => r.map((v) => v / (1 + Math.exp(-1.702 * v))));
    h = add(h, linear(hidden, `${key}.mlp.fc2`, c.hidden_size));
  }
  return layerNorm(h, 'final_layer_norm', c);
}

async function runGraph(c: ClipTextConfig, idLists: number[][]): Promise<Float32Array[]> {
  const source = seededSource(SEED);
  const session = await createSession(saveToBuffer(buildTextEncoder(source, c)), { provider: 'cpu', threads: 1 });
  expect(source.keys()).toHaveLength(4 + 16 * c.num_hidden_layers);
  try {
    const outputs: Float32Array[] = [];
    for (const ids of idLists) {
      const out = await session.run({ input_ids: int64Tensor(ids, [1, ids.length]) });
      expect(out.last_hidden_state.dims).toEqual([1, c.max_position_embeddings, c.hidden_size]);
      outputs.push(Float32Array.from(tensorData(out.last_hidden_state)));
    }
    return outputs;
  } finally {
    await session.release();
  }
}

describe('CLIP text encoder graph (tiny random config)', () => {
  it('matches a direct float64 forward and is causal', async () => {
    const idsA = [1, 17, 42, 3, 59, 0, 8, 8];
    const idsB = [1, 17, 42, 30, 31, 32, 33, 34]; // same prefix of 3 tokens
    const [a, b] = await runGraph(TINY, [idsA, idsB]);
    const reference = referenceForward(idsA, TINY).flat();
    const worst = reference.reduce((m, v, i) => Math.max(m, Math.abs(v - a[i])), 0);
    expect(worst, `worst |graph - reference| = ${worst}`).toBeLessThan(1e-4);
    const width = TINY.hidden_size;
    expect(a.slice(0, 3 * width)).toEqual(b.slice(0, 3 * width)); // positions 0..2 never see later tokens
    expect(a.slice(3 * width, 4 * width)).not.toEqual(b.slice(3 * width, 4 * width));
  });

  it('rejects unsupported configs', () => {
    expect(() => parseClipTextConfig({ hidden_act: 'gelu' }, 'x/config.json')).toThrow(/x\/config\.json: unsupported CLIP text config: hidden_act/);
    expect(() => parseClipTextConfig({ hidden_size: 10, num_attention_heads: 3 })).toThrow(/not divisible/);
  });
});

describe('text embedding', () => {
  it('computes CLIP("") from an SD1.5-style folder: BOS, EOS, EOS padding', async () => {
    const config = { ...TINY, vocab_size: 49408 };
    const dir = path.join(tmp, 'sd15/text_encoder');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ ...config, architectures: ['CLIPTextModel'] }));
    const tensors = new Map<string, { shape: number[]; data: Float32Array }>();
    const source = seededSource(SEED);
    buildTextEncoder(source, config);
    for (const key of source.keys()) {
      const shape = [...(source.shape(key) ?? [])];
      tensors.set(key, { shape, data: seededValues(SEED, key, shape) });
    }
    writeSafetensors(path.join(dir, 'model.safetensors'), tensors);
    const embedding = await computeEmptyPromptEmbedding(path.join(tmp, 'sd15'), tmp, 1);
    expect(embedding.shape).toEqual([1, 8, 16]);
    expect([...emptyPromptTokens(8)].map(Number)).toEqual([49406, 49407, 49407, 49407, 49407, 49407, 49407, 49407]);
    const [direct] = await runGraph(config, [[...emptyPromptTokens(8)].map(Number)]);
    expect(embedding.data).toEqual(direct);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('onnx'))).toEqual([]);
  });

  it('loads a supplied embedding and checks its width against the UNet', () => {
    expect(loadTextEmbedding(FIXTURE_EMBEDDING, 32).shape).toEqual([1, 77, 32]);
    expect(() => loadTextEmbedding(FIXTURE_EMBEDDING, 768)).toThrow(/has shape \[1,77,32\], expected \[1, 77, 768\]/);
  });

  it('names the missing text encoder files', async () => {
    await expect(computeEmptyPromptEmbedding(path.join(tmp, 'nowhere'), tmp)).rejects.toThrow(/missing .*text_encoder\/config\.json \(needed to compute the empty-prompt embedding, unless a text embedding file is given\)/);
  });
});
