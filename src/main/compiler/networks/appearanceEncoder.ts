// MagicAnimate's AppearanceEncoderModel (appearance_encoder.py: a UNet2DConditionModel whose output is
// discarded) as a graph producing the reference bank.
//
//   buildAppearanceEncoder(cfg, weights, { height, width })
//     in : sample float32 [batch, 4, h, w]; timestep int64 []; encoder_hidden_states float32 [batch, 77, D]
//     out: bank_00 … bank_NN float32 [batch, tokens_k, C_k] — norm1(h) of every BasicTransformerBlock of
//          the mid block and the up blocks (ReferenceAttentionControl 'write', fusion_blocks 'midup'), in
//          the order the reader pairs them: depth-first, stably sorted by norm1 width, widest first.
//          For SD1.5 and the tiny config: mid_block.attentions.0, up_blocks.1.attentions.0..2,
//          up_blocks.2.attentions.0..2, up_blocks.3.attentions.0..2 (10 entries).
//   `bankEntries` on the result lists each output with its module path.
//
// The class stubs the last up attention (only norm, proj_in and transformer_blocks.0.norm1 exist), and
// has no conv_norm_out/conv_out; blocks whose attn1 weights are absent stop after norm1.

import type { UNetConfig } from '../configs';
import { GraphBuilder, type Tensor } from '../onnx/graph';
import { staticDim } from '../onnx/shape';
import { Module, unetConvIn, unetDown, unetMid, unetUp, type TransformerHooks } from '../layers';
import type { WeightSource } from '../weights/source';
import { NetworkGraph } from './network';
import { unetInputs, type LatentSize } from './unetCommon';

export interface BankEntry {
  output: string;
  modulePath: string;
  tokens: number | string;
  channels: number;
}

export interface AppearanceEncoderGraph extends NetworkGraph {
  bankEntries: BankEntry[];
}

export function buildAppearanceEncoder(cfg: UNetConfig, weights: WeightSource, size: LatentSize = {}): AppearanceEncoderGraph {
  const net = new NetworkGraph('appearance_encoder', new GraphBuilder('appearance_encoder', size.graph), weights);
  const root = new Module(net.graph, weights);
  const { sample, temb, text } = unetInputs(net, cfg, size, root);
  const recorded: { path: string; normed: Tensor }[] = [];
  const hooks: TransformerHooks = {
    onNorm1(normed, path) {
      if (path.startsWith('mid_block.') || path.startsWith('up_blocks.')) recorded.push({ path, normed });
    },
    truncateAfterNorm1: (path) => !weights.has(`${path}.attn1.to_q.weight`),
  };
  const h0 = unetConvIn(root, cfg, sample);
  const down = unetDown(root, cfg, h0, temb, text, { transformer: hooks });
  const mid = unetMid(root, cfg, down.h, temb, text, { transformer: hooks });
  unetUp(root, cfg, mid, down.residuals, temb, text, { transformer: hooks });
  // mutual_self_attention.py sorts the hooked modules by norm1 width (descending); sort is stable.
  const width = (t: Tensor) => staticDim(t.shape[2], t.name, 'bank width');
  const ordered = recorded.map((r, i) => ({ ...r, i })).sort((a, b) => width(b.normed) - width(a.normed) || a.i - b.i);
  const entries: BankEntry[] = ordered.map((r, k) => {
    const output = `bank_${String(k).padStart(2, '0')}`;
    net.output(r.normed, output, `norm1 output of ${r.path}`);
    return { output, modulePath: r.path, tokens: r.normed.shape[1], channels: width(r.normed) };
  });
  return Object.assign(net, { bankEntries: entries });
}
