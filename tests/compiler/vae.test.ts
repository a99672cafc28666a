// Case 1: VAE encoder (latent mean) and decoder built from the tiny sd-vae-ft-mse files, vs the official outputs.
import { describe, it, expect } from 'vitest';
import { parseVaeConfig } from '../../src/main/compiler/configs';
import { buildVaeDecoder, buildVaeEncoder } from '../../src/main/compiler/networks';
import { float32Tensor } from '../../src/main/engine/runtime';
import { compareOutputs, fixture, get, runNetwork, tinyModel } from './fixtureCompare';

describe('case 1: VAE', () => {
  const { config, weights } = tinyModel('sd-vae-ft-mse');
  const cfg = parseVaeConfig(config);
  const case1 = fixture('case1_vae.safetensors');

  it('encodes the reference image to the official latent mean', async () => {
    const image = get(case1, 'image');
    const net = buildVaeEncoder(cfg, weights, { height: 128, width: 128 });
    expect(net.inputs.map((i) => i.name)).toEqual(['image']);
    const out = await runNetwork(net, { image: float32Tensor(image.data, image.shape) });
    compareOutputs('case 1 encoder', out, { latent_mean: get(case1, 'latent_mean') });
  });

  it('decodes the latent to the official image', async () => {
    const latent = get(case1, 'decode_input');
    const net = buildVaeDecoder(cfg, weights, { height: 128, width: 128 });
    const out = await runNetwork(net, { latent: float32Tensor(latent.data, latent.shape) });
    compareOutputs('case 1 decoder', out, { image: get(case1, 'decode_output') });
  });

  it('consumed every weight of the checkpoint', () => {
    const unused = weights.keys().filter((k) => !weights.usedKeys().has(k));
    expect(unused).toEqual([]);
  });
});
