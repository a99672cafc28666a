// Network layers over the ONNX builder. Each takes a Module (graph + weights + checkpoint prefix).
export { Module } from './module';
export { conv2d, linear, groupNorm, layerNorm, silu, gelu, type Conv2dOptions, type GroupNormOptions } from './basic';
export {
  attention,
  scaledDotProductAttention,
  concatTokens,
  MODERN_ATTENTION_NAMES,
  LEGACY_ATTENTION_NAMES,
  type AttentionNames,
  type AttentionOptions,
} from './attention';
export {
  feedForward,
  basicTransformerBlock,
  transformer2D,
  type TransformerHooks,
  type SelfAttentionArgs,
  type Transformer2DOptions,
} from './transformer';
export { resnetBlock2D, downsample2D, upsample2D, timestepEmbedding, type ResnetOptions, type TimestepOptions } from './resnet';
export { unetDown, unetMid, unetUp, unetHead, unetConvIn, type UNetHooks, type LayerPosition } from './unetBlocks';
