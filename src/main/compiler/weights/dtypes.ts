// Widening of the checkpoint element types we accept to float32. Checkpoints are little-endian
// (safetensors by spec; torch.save writes the host order, and every supported host is LE).

export type FloatDtype = 'F32' | 'F16' | 'BF16';
/** Integer and double tensors also occur in checkpoints (CLIP's int64 `position_ids` buffer). */
export type Dtype = FloatDtype | 'F64' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Record<Dtype, number> = { F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

export const isDtype = (value: unknown): value is Dtype => typeof value === 'string' && Object.hasOwn(DTYPE_BYTES, value);

/** IEEE 754 binary16 → float32 (exact: every half value is representable). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal or zero
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Element readers for the rarely used types (a network never consumes them as weights). */
const SCALAR_READERS: Record<Exclude<Dtype, FloatDtype>, (view: DataView, i: number) => number> = {
  F64: (v, i) => v.getFloat64(i * 8, true),
  I64: (v, i) => Number(v.getBigInt64(i * 8, true)),
  I32: (v, i) => v.getInt32(i * 4, true),
  I16: (v, i) => v.getInt16(i * 2, true),
  I8: (v, i) => v.getInt8(i),
  U8: (v, i) => v.getUint8(i),
  BOOL: (v, i) => (v.getUint8(i) ? 1 : 0),
};

/** Decodes `count` little-endian values of `dtype` from `bytes` into a new Float32Array. */
export function decodeFloats(bytes: Uint8Array, dtype: Dtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
    const readOne = SCALAR_READERS[dtype];
    for (let i = 0; i < count; i++) out[i] = readOne(view, i);
  } else if (dtype === 'F32') {
    // NOTE: a byte copy, valid because every supported host is little-endian like the file.
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
  } else if (dtype === 'F16') {
    for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(i * 2, true));
  } else {
    // bfloat16 is the upper half of a float32.
    const wide = new Uint32Array(out.buffer);
    for (let i = 0; i < count; i++) wide[i] = view.getUint16(i * 2, true) << 16;
  }
  return out;
}
