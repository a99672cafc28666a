// Upper bounds on the numbers in checkpoint configs (config.json is as untrusted as the weights):
// a UNet with a million channels or a 10^6 sample size would make the builder allocate without
// limit before any weight is checked. The bounds sit far above SD1.5 (channels ≤ 1280, sample 64).
import { StudioFailure } from '../../shared/result';

const LIMITS: Record<string, number> = {
  in_channels: 64,
  out_channels: 64,
  latent_channels: 64,
  conditioning_channels: 64,
  sample_size: 256, // latent side: 2048 px / 8
  layers_per_block: 8,
  cross_attention_dim: 8192,
  block_out_channels: 8192,
  conditioning_embedding_out_channels: 8192,
  norm_num_groups: 1024,
  attention_head_dim: 8192,
  num_attention_heads: 1024,
  transformer_layers_per_block: 16,
  num_transformer_block: 16,
  temporal_position_encoding_max_len: 1024,
};
/** Any other number in a config. */
const DEFAULT_LIMIT = 1_000_000;
/** Longest list (block types, channel lists). */
const MAX_LIST = 16;

function check(file: string, key: string, value: unknown, limit: number): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || Math.abs(value) > limit) {
      throw new StudioFailure('model_invalid', `${file}: "${key}" is ${value}, outside what any checkpoint uses (at most ${limit})`, { file, key });
    }
  } else if (Array.isArray(value)) {
    if (value.length > MAX_LIST) throw new StudioFailure('model_invalid', `${file}: "${key}" lists ${value.length} entries (at most ${MAX_LIST})`, { file, key });
    for (const item of value) check(file, key, item, limit);
  } else if (typeof value === 'object' && value !== null) {
    for (const [inner, item] of Object.entries(value)) check(file, inner, item, LIMITS[inner] ?? DEFAULT_LIMIT);
  }
}

/** Refuses a config whose numbers exceed the bounds above, naming the file and the key. */
export function checkConfigBounds(config: Record<string, unknown>, file: string): void {
  for (const [key, value] of Object.entries(config)) check(file, key, value, LIMITS[key] ?? DEFAULT_LIMIT);
}
