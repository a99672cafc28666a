// Why the compile plan picks its attention form: one UNet3D window (16 frames, batch [uncond, cond])
// of the tiny configuration with seeded weights, built with plain ONNX attention (MatMul/Softmax,
// which materialises every [B, H, L, L] score tensor at once) and with ORT's fused
// MultiHeadAttention, at two latent sizes. Prints the median time per call and the worker RSS.
import { buildUNet3D } from '../src/main/compiler/networks/unet3d';
import { parseMotionModuleConfig, parseUNetConfig } from '../src/main/compiler/configs';
import { TINY_CONFIGS } from '../src/main/compiler/presets';
import { seededSource } from '../src/main/compiler/weights/seeded';
import { createSession, float32Tensor, int64Tensor } from '../src/main/engine/runtime';
import { median } from './stats';

export const description = 'UNet3D window: plain ONNX attention vs fused MultiHeadAttention (tiny config, CPU)';

const CALLS = 3;

function filled(dims: number[], seed: number): Float32Array {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1664525 + 1013904223) >>> 0;
    data[i] = s / 2 ** 32 - 0.5;
  }
  return data;
}

async function timeOne(latent: number, attention: 'onnx' | 'fused'): Promise<{ ms: number; rssMiB: number }> {
  const unet = parseUNetConfig(TINY_CONFIGS.unet);
  const motion = parseMotionModuleConfig(TINY_CONFIGS.motionModule);
  const net = buildUNet3D(unet, motion, seededSource(1234), { height: latent, width: latent, graph: { attention } });
  const session = await createSession(net.toBuffer(), { provider: 'cpu', threads: 2 });
  const frames = 16;
  const feeds: Record<string, ReturnType<typeof float32Tensor>> = {};
  for (const io of net.inputs) {
    const dims = io.shape.map((d) => (typeof d === 'number' ? d : frames));
    feeds[io.name] = io.dtype === 'int64' ? int64Tensor([501], dims) : float32Tensor(filled(dims, io.name.length), dims);
  }
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await session.run(feeds);
    times.push(performance.now() - started);
  }
  await session.release();
  return { ms: median(times), rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

export async function run(): Promise<void> {
  for (const latent of [16, 32]) {
    const plain = await timeOne(latent, 'onnx');
    const fused = await timeOne(latent, 'fused');
    console.log(
      `   latent ${latent}×${latent} (${latent * 8} px, ${latent * latent} tokens): plain ${plain.ms.toFixed(0)} ms, fused ${fused.ms.toFixed(0)} ms per window (ratio ${(plain.ms / fused.ms).toFixed(2)}); RSS after ${plain.rssMiB.toFixed(0)} / ${fused.rssMiB.toFixed(0)} MiB`,
    );
  }
}
