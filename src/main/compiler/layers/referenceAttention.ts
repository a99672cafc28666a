// MagicAnimate's reference read (mutual_self_attention.py, ReferenceAttentionControl mode 'read',
// fusion_blocks 'midup', classifier-free guidance on) for a UNet3D laid out (2·f, C, H, W) with the
// batch [uncond, cond]:
//   cond half:   attn1(norm1(h), keys/values = concat([norm1(h), bank], tokens)) — queries from the
//                frame, keys/values from the frame's own tokens followed by the bank's tokens
//   uncond half: plain self-attention attn1(norm1(h)) (the official code overwrites those rows)
// The official code expands the bank [2, L, C] over the frames and reads row b·f + i from bank[b];
// only the cond half ever uses it, so the graph takes the cond row alone: bank [1, L, C].
//
//   referenceBankSlots(cfg, height, width)   the bank inputs in the order the appearance encoder
//                                            writes them (bank_00 … ), with their module paths
//   referenceReadHooks(g, banks, frames, frameCount)  TransformerHooks doing the read above

import type { UNetConfig } from '../configs';
import type { Dim, GraphBuilder, Tensor } from '../onnx/graph';
import * as ops from '../onnx/ops';
import type { TransformerHooks } from './transformer';

export interface BankSlot {
  /** Graph input name, `bank_NN`. */
  input: string;
  /** The reading BasicTransformerBlock, e.g. `up_blocks.1.attentions.0.transformer_blocks.0`. */
  modulePath: string;
  tokens: number;
  channels: number;
}

/**
 * The mid and up BasicTransformerBlocks in depth-first order, stably sorted by norm1 width (widest
 * first), as ReferenceAttentionControl.update pairs writer and reader blocks. `height`/`width` are
 * the latent size; block i of n works at 1/2^i of it on the way down.
 */
export function referenceBankSlots(cfg: UNetConfig, height: number, width: number): BankSlot[] {
  const n = cfg.blockOutChannels.length;
  const tokensAt = (level: number) => (height / 2 ** level) * (width / 2 ** level);
  const found: Omit<BankSlot, 'input'>[] = [
    { modulePath: 'mid_block.attentions.0.transformer_blocks.0', tokens: tokensAt(n - 1), channels: cfg.blockOutChannels[n - 1] },
  ];
  const reversed = [...cfg.blockOutChannels].reverse();
  cfg.upBlockTypes.forEach((type, i) => {
    if (type !== 'CrossAttnUpBlock2D') return;
    for (let j = 0; j <= cfg.layersPerBlock; j++) {
      found.push({ modulePath: `up_blocks.${i}.attentions.${j}.transformer_blocks.0`, tokens: tokensAt(n - 1 - i), channels: reversed[i] });
    }
  });
  const ordered = found.map((s, i) => ({ s, i })).sort((a, b) => b.s.channels - a.s.channels || a.i - b.i);
  return ordered.map(({ s }, k) => ({ input: `bank_${String(k).padStart(2, '0')}`, ...s }));
}

/** [1, L, C] → [f, L, C] (the same bank for every frame of the cond half). */
function expandOverFrames(g: GraphBuilder, bank: Tensor, frames: Dim, frameCount: Tensor): Tensor {
  const [, l, c] = bank.shape;
  const shape = ops.concat(g, [frameCount, g.constant([Number(l), Number(c)], [2], 'int64')], 0);
  return g.node('Expand', [bank, shape], [{ dtype: bank.dtype, shape: [frames, l, c] }])[0];
}

/**
 * Hooks for basicTransformerBlock: blocks whose path has a bank read it for the cond half; every
 * other block (the down blocks) keeps plain self-attention.
 */
export function referenceReadHooks(g: GraphBuilder, banks: ReadonlyMap<string, Tensor>, frames: Dim, frameCount: Tensor): TransformerHooks {
  return {
    selfAttention(args) {
      const bank = banks.get(args.path);
      if (!bank) return args.attend();
      const [uncond, cond] = args.module.build(() => ops.split(g, args.normed, 0, 2));
      const plain = args.attend(undefined, uncond);
      const context = args.module.build(() => ops.concat(g, [cond, expandOverFrames(g, bank, frames, frameCount)], 1));
      const withReference = args.attend(context, cond);
      return args.module.build(() => ops.reshape(g, ops.concat(g, [plain, withReference], 0), args.normed.shape));
    },
  };
}
