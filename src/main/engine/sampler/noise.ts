// Initial noise. The official prepare_latents draws ONE 16-frame block [1, 4, 16, h, w] with
// torch.randn and tiles it along the frames (`latents.repeat(1, 1, video_length // 16, 1, 1)`),
// so every 16-frame clip starts from the same noise; init_noise_sigma is 1 for DDIM.
import { StudioFailure } from '../../../shared/result';
import { torchRandn } from './torchRandn';

/** Frames in the official noise block (prepare_latents' clip_length). */
export const NOISE_CLIP_LENGTH = 16;

export interface NoiseBlock {
  /** [1, channels, 16, h, w] in torch's layout (b c f h w). */
  data: Float32Array;
  channels: number;
  height: number;
  width: number;
}

/** The official noise block for `seed` (bit-exact with a CPU torch.Generator on AVX2 builds). */
export function seededNoiseBlock(seed: number, channels: number, height: number, width: number): NoiseBlock {
  return { data: torchRandn(seed, channels * NOISE_CLIP_LENGTH * height * width), channels, height, width };
}

export function noiseBlockFromTensor(data: Float32Array, dims: readonly number[]): NoiseBlock {
  const [b, c, f, h, w] = dims;
  if (dims.length !== 5 || b !== 1 || f !== NOISE_CLIP_LENGTH || data.length !== c * f * h * w) {
    throw new StudioFailure(
      'invalid_request',
      `Initial noise must be a [1, C, ${NOISE_CLIP_LENGTH}, h, w] tensor; got [${dims.join(', ')}] with ${data.length} values.`,
    );
  }
  return { data, channels: c, height: h, width: w };
}

/**
 * Per-frame initial latents [C, h, w] for `numFrames` frames: frame i takes block frame i mod 16.
 * For a multiple of 16 this is exactly the official tiling; for other lengths (our unpadded
 * mode) it is the natural continuation of the same pattern.
 */
export function tileNoise(block: NoiseBlock, numFrames: number): Float32Array[] {
  const plane = block.height * block.width;
  const frames: Float32Array[] = [];
  for (let frame = 0; frame < numFrames; frame++) {
    const source = frame % NOISE_CLIP_LENGTH;
    const out = new Float32Array(block.channels * plane);
    for (let c = 0; c < block.channels; c++) {
      const from = (c * NOISE_CLIP_LENGTH + source) * plane;
      out.set(block.data.subarray(from, from + plane), c * plane);
    }
    frames.push(out);
  }
  return frames;
}
