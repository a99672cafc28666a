// Widening of the checkpoint element types we accept to float32. Checkpoints are little-endian
// (safetensors by spec; torch.save writes the host order, and every supported host is LE).

export type FloatDtype = 'F32' | 'F16' | 'BF16';

export const DTYPE_BYTES: Record<FloatDtype, number> = { F32: 4, F16: 2, BF16: 2 };

/** IEEE 754 binary16 → float32 (exact: every half value is representable). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const mantissa = h & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal or zero
  if (exponent === 0x1f) return mantissa ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Decodes `count` little-endian values of `dtype` from `bytes` into a new Float32Array. */
export function decodeFloats(bytes: Uint8Array, dtype: FloatDtype, count: number): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float32Array(count);
  if (dtype === 'F32') {
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
