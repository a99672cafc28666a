// Peak memory of compiling a model folder. Measures the tiny checkpoint set for real, and estimates
// the full SD1.5/MagicAnimate compile from what the streaming writer holds at once: one network's
// graph (its protobuf without weights) plus the tensor being written (read as float32, transposed
// or narrowed to fp16 once). The checkpoints themselves are never held: each tensor is read from
// disk when it is written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileModel } from '../src/main/compiler/compile';
import { parseControlNetConfig, parseMotionModuleConfig, parseUNetConfig, parseVaeConfig } from '../src/main/compiler/configs';
import { buildAppearanceEncoder, buildControlNet, buildUNet3D, buildVaeDecoder, buildVaeEncoder, type NetworkGraph } from '../src/main/compiler/networks';
import { saveToBuffer } from '../src/main/compiler/onnx';
import { INLINE_WEIGHTS_LIMIT } from '../src/main/compiler/writeNetworks';
import { renamedSource, unet3dSource } from '../src/main/compiler/weights/overlay';
import { shapeOnlySource, type KeyManifestRow } from '../src/main/compiler/weights/seeded';

export const description = 'peak RSS compiling the tiny set; full-size estimate from graph size and largest tensor';

const FIXTURES = path.resolve(import.meta.dirname, '../../shared/fixtures/magicanimate-tiny');
const MiB = 1024 * 1024;
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(1)} MiB`;

async function measureTiny(): Promise<void> {
  const tiny = path.join(FIXTURES, 'tiny');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-compile-'));
  const before = process.memoryUsage().rss;
  let peak = before;
  const started = performance.now();
  try {
    await compileModel({
      sd15Dir: path.join(tiny, 'stable-diffusion-v1-5'),
      vaeDir: path.join(tiny, 'sd-vae-ft-mse'),
      magicAnimateDir: path.join(tiny, 'MagicAnimate'),
      textEmbeddingPath: path.join(tiny, 'text_embedding.safetensors'),
      outDir: path.join(out, 'model'),
      precision: 'fp32',
      onProgress: () => {
        peak = Math.max(peak, process.memoryUsage().rss);
      },
    });
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`   tiny set: ${seconds.toFixed(1)} s, RSS before ${mib(before)}, sampled peak ${mib(peak)} (+${mib(peak - before)}), process maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`);
}

interface FullNetwork {
  name: string;
  build(): NetworkGraph;
}

function fullSizeNetworks(): FullNetwork[] {
  const keys = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'fullsize_state_dict_keys.json'), 'utf8')) as Record<
    string,
    {
      config: Record<string, unknown>;
      state_dict: KeyManifestRow[];
      legacy_attention_key_names?: Record<string, string>;
      unet_additional_kwargs?: Record<string, unknown>;
    }
  >;
  const vae = keys.vae_sd_vae_ft_mse;
  const vaeSource = () => renamedSource(shapeOnlySource('vae', vae.state_dict), (k) => vae.legacy_attention_key_names?.[k] ?? k);
  const image = { height: 512, width: 512 };
  const latent = { height: 64, width: 64 };
  return [
    { name: 'vae_encoder', build: () => buildVaeEncoder(parseVaeConfig(vae.config), vaeSource(), image) },
    { name: 'vae_decoder', build: () => buildVaeDecoder(parseVaeConfig(vae.config), vaeSource(), image) },
    {
      name: 'appearance_encoder',
      build: () => buildAppearanceEncoder(parseUNetConfig(keys.appearance_encoder.config), shapeOnlySource('ae', keys.appearance_encoder.state_dict), latent),
    },
    {
      name: 'controlnet',
      build: () => buildControlNet(parseControlNetConfig(keys.controlnet_densepose.config), shapeOnlySource('cn', keys.controlnet_densepose.state_dict), latent),
    },
    {
      name: 'unet3d',
      build: () => {
        const u = keys.unet3d_magicanimate;
        const source = unet3dSource(shapeOnlySource('bin', keys.unet2d_sd15.state_dict), shapeOnlySource('ckpt', u.state_dict));
        return buildUNet3D(parseUNetConfig(u.config), parseMotionModuleConfig(u.unet_additional_kwargs), source, latent);
      },
    },
  ];
}

/**
 * The protobuf size without weights: every lazy initializer is swapped for a one-value stand-in
 * before encoding (an estimate; the real file adds ~100 bytes of external-data entry per tensor).
 */
function graphBytesWithoutWeights(net: NetworkGraph): { proto: number; largestTensor: number; weights: number } {
  const lazy = net.graph.lazyInitializers;
  const sizes = lazy.map((w) => w.shape.reduce((a, b) => a * b, 1) * 4);
  const standIns = lazy.map((w) => ({ ...w, shape: [1], ref: { key: w.ref.key, shape: [1], read: () => new Float32Array(1) } }));
  lazy.splice(0, lazy.length, ...standIns);
  const proto = saveToBuffer(net.graph).byteLength + 100 * standIns.length;
  return { proto, largestTensor: Math.max(...sizes), weights: sizes.reduce((a, b) => a + b, 0) };
}


/**
 * As writeNetworks decides: inline weights up to INLINE_WEIGHTS_LIMIT, external data above.
 * External data: the proto twice (message + encoded bytes) and one tensor as read plus one derived
 * copy (transpose or fp16 bits). Inline: the stored weights twice (message + encoded bytes) too.
 */
function workingSet(proto: number, largestTensor: number, weights: number, bytesPerValue: number): number {
  const stored = (weights / 4) * bytesPerValue;
  return 2 * proto + 2 * largestTensor + (stored <= INLINE_WEIGHTS_LIMIT ? 2 * stored : 0);
}

function estimateFullSize(): void {
  const worst = { fp32: 0, fp16: 0 };
  for (const network of fullSizeNetworks()) {
    const { proto, largestTensor, weights } = graphBytesWithoutWeights(network.build());
    const fp32 = workingSet(proto, largestTensor, weights, 4);
    const fp16 = workingSet(proto, largestTensor, weights, 2);
    worst.fp32 = Math.max(worst.fp32, fp32);
    worst.fp16 = Math.max(worst.fp16, fp16);
    console.log(
      `   ${network.name.padEnd(19)} weights ${mib(weights).padStart(10)}  proto ${mib(proto).padStart(8)}  largest tensor ${mib(largestTensor).padStart(9)}  working set fp32 ≈ ${mib(fp32)}, fp16 ≈ ${mib(fp16)}`,
    );
  }
  console.log(`   full set estimate: compile peak ≈ baseline + ${mib(worst.fp32)} (fp32), + ${mib(worst.fp16)} (fp16); networks are written one at a time (CLIP, run once, adds its 470 MiB fp32 weights while it runs unless --text-embedding is given)`);
}

export async function run(): Promise<void> {
  await measureTiny();
  estimateFullSize();
}
