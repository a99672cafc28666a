// `render --save-inputs FILE.safetensors`: the inputs exactly as they enter the networks, in the
// layout of the fixtures' inputs.safetensors (float32 holding the 0…255 integers):
//   ref_image       [H, W, 3]     the reference, from which the VAE input (x / 127.5 − 1) is made
//   control_frames  [F, H, W, 3]  the clip's frames (after the range, before any padding to 16),
//                                 from which the ControlNet input (x / 255) is made
// Frames are converted and written one at a time, so a long clip needs no clip-sized buffer.
import { writeFileAtomic } from '../compiler/weights/atomicWrite';

export interface RgbFrames {
  count: number;
  rgbFrame(index: number): Uint8Array;
}

const asBytes = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer, values.byteOffset, values.byteLength);

export function saveInputs(file: string, reference: Uint8Array, frames: RgbFrames, height: number, width: number): void {
  const frameValues = height * width * 3;
  const controlBytes = frames.count * frameValues * 4;
  // Keys in sorted order, as the reference writer stores them.
  const header: Record<string, unknown> = {
    control_frames: { dtype: 'F32', shape: [frames.count, height, width, 3], data_offsets: [0, controlBytes] },
    ref_image: { dtype: 'F32', shape: [height, width, 3], data_offsets: [controlBytes, controlBytes + frameValues * 4] },
  };
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  function* chunks(): Generator<Uint8Array | string> {
    yield length;
    yield json;
    for (let f = 0; f < frames.count; f++) yield asBytes(Float32Array.from(frames.rgbFrame(f)));
    yield asBytes(Float32Array.from(reference));
  }
  writeFileAtomic(file, chunks());
}
