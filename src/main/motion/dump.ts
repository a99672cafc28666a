// `--dump`: every stage's tensors under the fixtures' names (`image<i>.<stage>.<name>`), written as
// safetensors with the fixtures' dtypes (F32; U8 for image-like tensors), atomically.
import { writeFileAtomic } from '../compiler/weights/atomicWrite';

export interface DumpTensor {
  readonly dtype: 'F32' | 'U8';
  readonly shape: readonly number[];
  readonly data: Float32Array | Uint8Array;
}

export class StageDump {
  readonly tensors = new Map<string, DumpTensor>();

  constructor(readonly prefix: string) {}

  f32(name: string, shape: readonly number[], data: ArrayLike<number>): void {
    this.tensors.set(`${this.prefix}.${name}`, { dtype: 'F32', shape, data: data instanceof Float32Array ? data : Float32Array.from(data) });
  }

  u8(name: string, shape: readonly number[], data: Uint8Array): void {
    this.tensors.set(`${this.prefix}.${name}`, { dtype: 'U8', shape, data });
  }
}

export function writeDump(file: string, dumps: readonly StageDump[], metadata: Record<string, string> = {}): void {
  const list = dumps.flatMap((d) => [...d.tensors.entries()]).sort(([a], [b]) => (a < b ? -1 : 1));
  const header: Record<string, unknown> = { __metadata__: metadata };
  let offset = 0;
  for (const [key, t] of list) {
    const bytes = t.data.byteLength;
    header[key] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - ((Buffer.byteLength(json) + 8) % 8)) % 8);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(Buffer.byteLength(json)));
  const bodies = list.map(([, t]) => new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  writeFileAtomic(file, [length, json, ...bodies]);
}
