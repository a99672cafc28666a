// SD1.5's CLIP text encoder (transformers CLIPTextModel, openai/clip-vit-large-patch14 text tower)
// as an ONNX graph. MagicAnimate only ever encodes the empty prompt (prompt = n_prompt = ""), so
// the compiler runs this graph ONCE and stores `last_hidden_state` as the model's text embedding;
// the text encoder itself is not shipped in the model folder.
//
// Per layer (CLIPEncoderLayer): h += self_attn(layer_norm1(h), causal mask); h += mlp(layer_norm2(h))
// with mlp = fc2(quick_gelu(fc1(x))), quick_gelu(x) = x·sigmoid(1.702·x); then final_layer_norm.
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StudioFailure } from '../../shared/result';
import { findWeights, TEXT_ENCODER_WEIGHT_NAMES } from './checkpointLayout';
import { GraphBuilder, type Tensor } from './onnx/graph';
import * as ops from './onnx/ops';
import { layerNorm, linear } from './layers/basic';
import { Module } from './layers/module';
import { scaledDotProductAttentionMasked } from './textAttention';
import type { WeightSource } from './weights/source';

/** CLIP's tokenizer specials: <|startoftext|>, <|endoftext|> (also the pad token in SD1.5's tokenizer). */
export const CLIP_BOS = 49406;
export const CLIP_EOS = 49407;

const ClipTextConfigSchema = z.object({
  vocab_size: z.number().int().positive().default(49408),
  hidden_size: z.number().int().positive().default(768),
  intermediate_size: z.number().int().positive().default(3072),
  num_attention_heads: z.number().int().positive().default(12),
  num_hidden_layers: z.number().int().positive().default(12),
  max_position_embeddings: z.number().int().positive().default(77),
  hidden_act: z.literal('quick_gelu').default('quick_gelu'),
  layer_norm_eps: z.number().positive().default(1e-5),
});
export type ClipTextConfig = z.infer<typeof ClipTextConfigSchema>;

export function parseClipTextConfig(json: unknown, file = 'text_encoder/config.json'): ClipTextConfig {
  const parsed = ClipTextConfigSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioFailure('model_invalid', `${file}: unsupported CLIP text config: ${issue.path.join('.')}: ${issue.message}`, { file });
  }
  if (parsed.data.hidden_size % parsed.data.num_attention_heads !== 0) {
    throw new StudioFailure('model_invalid', `${file}: hidden_size is not divisible by num_attention_heads`, { file });
  }
  return parsed.data;
}

/** Token ids of the empty prompt: BOS, EOS, then EOS padding to the context length (SD1.5's tokenizer). */
export function emptyPromptTokens(length = 77): BigInt64Array {
  const ids = new BigInt64Array(length).fill(BigInt(CLIP_EOS));
  ids[0] = BigInt(CLIP_BOS);
  return ids;
}

/** Upper-triangular additive mask [1, 1, L, L]: position i attends to j ≤ i only (CLIP's causal mask). */
function causalMask(g: GraphBuilder, length: number): Tensor {
  const mask = new Float32Array(length * length);
  for (let i = 0; i < length; i++) for (let j = i + 1; j < length; j++) mask[i * length + j] = -1e9;
  return g.constant(mask, [1, 1, length, length]);
}

function quickGelu(g: GraphBuilder, x: Tensor): Tensor {
  return ops.mul(g, x, ops.sigmoid(g, ops.mul(g, x, ops.scalar(g, 1.702))));
}

function encoderLayer(m: Module, h: Tensor, mask: Tensor, c: ClipTextConfig): Tensor {
  const g = m.g;
  const attn = m.child('self_attn');
  const normed = layerNorm(m.child('layer_norm1'), h, c.layer_norm_eps);
  const q = linear(attn.child('q_proj'), normed, c.hidden_size);
  const k = linear(attn.child('k_proj'), normed, c.hidden_size);
  const v = linear(attn.child('v_proj'), normed, c.hidden_size);
  const merged = attn.build(() => scaledDotProductAttentionMasked(g, q, k, v, c.num_attention_heads, mask));
  const afterAttn = m.build(() => ops.add(g, h, linear(attn.child('out_proj'), merged, c.hidden_size)));
  const mlp = m.child('mlp');
  const hidden = linear(mlp.child('fc1'), layerNorm(m.child('layer_norm2'), afterAttn, c.layer_norm_eps), c.intermediate_size);
  const activated = mlp.build(() => quickGelu(g, hidden));
  return m.build(() => ops.add(g, afterAttn, linear(mlp.child('fc2'), activated, c.hidden_size)));
}

/** input_ids int64 [1, L] → last_hidden_state float32 [1, L, hidden] (L = max_position_embeddings). */
export function buildTextEncoder(weights: WeightSource, c: ClipTextConfig): GraphBuilder {
  const g = new GraphBuilder('clip_text_encoder');
  const length = c.max_position_embeddings;
  const root = new Module(g, weights).child('text_model');
  const ids = g.input('input_ids', 'int64', [1, length]);
  const embeddings = root.child('embeddings');
  const table = embeddings.child('token_embedding').param('weight', [c.vocab_size, c.hidden_size]);
  const positions = embeddings.child('position_embedding').param('weight', [length, c.hidden_size]);
  let h = embeddings.build(() => {
    const tokens = g.node('Gather', [table, ids], [{ dtype: 'float32', shape: [1, length, c.hidden_size] }], { axis: 0 })[0];
    return ops.add(g, tokens, positions);
  });
  const mask = causalMask(g, length);
  const layers = root.child('encoder').child('layers');
  for (let i = 0; i < c.num_hidden_layers; i++) h = encoderLayer(layers.child(i), h, mask, c);
  g.output(layerNorm(root.child('final_layer_norm'), h, c.layer_norm_eps), 'last_hidden_state');
  return g;
}

/** The text encoder checkpoint in an SD1.5 folder: model.safetensors, pytorch_model.bin, or their fp16 variants. */
export function findTextEncoderFiles(sd15Dir: string): { config: string; weights: string } {
  const dir = path.join(sd15Dir, 'text_encoder');
  const config = path.join(dir, 'config.json');
  const why = 'needed to compute the empty-prompt embedding, unless a text embedding file is given';
  if (!fs.existsSync(config)) throw new StudioFailure('model_missing', `missing ${config} (${why})`, { file: config });
  const weights = findWeights(dir, TEXT_ENCODER_WEIGHT_NAMES);
  if (weights) return { config, weights };
  throw new StudioFailure('model_missing', `none of ${TEXT_ENCODER_WEIGHT_NAMES.join(', ')} in ${dir} (${why})`, { file: dir });
}
