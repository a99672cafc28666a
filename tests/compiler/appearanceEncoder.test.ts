// Case 2: appearance encoder → reference bank (t = 961), built from the tiny MagicAnimate files.
import { describe, expect, it } from 'vitest';
import { parseUNetConfig } from '../../src/main/compiler/configs';
import { buildAppearanceEncoder } from '../../src/main/compiler/networks';
import { float32Tensor, int64Tensor } from '../../src/main/engine/runtime';
import { compareOutputs, fixture, get, runNetwork, tinyModel } from './fixtureCompare';

describe('case 2: appearance encoder bank', () => {
  const { config, weights } = tinyModel('MagicAnimate/appearance_encoder');
  const cfg = parseUNetConfig(config);
  const case2 = fixture('case2_appearance_bank.safetensors');

  it.each(['onnx', 'fused'] as const)('writes bank_00..bank_09 as the official ReferenceAttentionControl does (%s attention)', async (attention) => {
    const net = buildAppearanceEncoder(cfg, weights, { graph: { attention } });
    expect(net.bankEntries.map((e) => e.modulePath)).toEqual([
      'mid_block.attentions.0.transformer_blocks.0',
      ...[1, 2, 3].flatMap((b) => [0, 1, 2].map((a) => `up_blocks.${b}.attentions.${a}.transformer_blocks.0`)),
    ]);
    const ref = get(case2, 'ref_latents');
    const sample = new Float32Array(2 * ref.data.length);
    sample.set(ref.data, 0);
    sample.set(ref.data, ref.data.length); // ref_latents.repeat(2, 1, 1, 1): [uncond, cond]
    const text = get(case2, 'encoder_hidden_states');
    const out = await runNetwork(net, {
      sample: float32Tensor(sample, [2, 4, 16, 16]),
      timestep: int64Tensor([get(case2, 'timestep').data[0]], []),
      encoder_hidden_states: float32Tensor(text.data, text.shape),
    });
    const expected = Object.fromEntries(net.bankEntries.map((e) => [e.output, get(case2, e.output)]));
    expect(Object.keys(expected)).toHaveLength(10);
    compareOutputs(`case 2 appearance encoder (${attention} attention)`, out, expected);
    expect(weights.keys().filter((k) => !weights.usedKeys().has(k))).toEqual([]);
  });
});
