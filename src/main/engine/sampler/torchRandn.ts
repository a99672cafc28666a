// torch.randn(shape, generator=torch.Generator('cpu').manual_seed(seed)) for float32 tensors of
// at least 16 elements, reproduced bit for bit (checked against the official run's init_noise).
//
// How torch does it (aten/src/ATen/native/cpu/DistributionTemplates.h, normal_fill*):
//  1. every element gets a uniform u = (mt19937() & 0xFFFFFF) / 2^24 (24 random bits, float);
//  2. each chunk of 16 becomes 16 normals by Box–Muller: u1 = 1 − u[j], u2 = u[j + 8],
//     r = sqrt(−2·ln u1), θ = 2π·u2, out[j] = r·cos θ, out[j + 8] = r·sin θ (j = 0..7);
//  3. if the length is not a multiple of 16, the last 16 elements are redrawn and redone.
// NOTE: x86 builds with AVX2 run step 2 through Cephes-style single-precision log and sincos
// polynomials (avx_mathfun.h), not libm, and the compiler fuses some multiply-adds. The
// functions below evaluate the same Cephes approximations (S. Moshier's public-domain
// coefficients) in float32 with the same fusions, which is what makes the bits agree; libm's
// log/cos/sin differ in the last bit for about 40% of the values.
import { StudioFailure } from '../../../shared/result';

const f32 = Math.fround;
/** Fused multiply-add rounded once to float32 (a·b is exact in float64 for float32 a, b). */
const fma = (a: number, b: number, c: number): number => f32(a * b + c);

/** The 32-bit Mersenne Twister (Matsumoto & Nishimura 1998), as std::mt19937 / torch's CPU generator. */
export function mt19937(seed: number): () => number {
  const state = new Uint32Array(624);
  state[0] = seed >>> 0;
  for (let i = 1; i < 624; i++) {
    const prev = state[i - 1] ^ (state[i - 1] >>> 30);
    state[i] = (Math.imul(1812433253, prev) + i) >>> 0;
  }
  let index = 624;
  const twist = (): void => {
    for (let k = 0; k < 624; k++) {
      const y = (state[k] & 0x80000000) | (state[(k + 1) % 624] & 0x7fffffff);
      state[k] = state[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    index = 0;
  };
  return () => {
    if (index >= 624) twist();
    let y = state[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  };
}

const LOG_POLY = [
  7.0376836292e-2, -1.151461031e-1, 1.167699874e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1,
].map(f32);
const bits = new DataView(new ArrayBuffer(4));

/** ln(v) for a positive normal float32 v: v = m·2^e with m in [√½, √2), ln v = ln m + e·ln 2. */
function cephesLogF32(v: number): number {
  bits.setFloat32(0, v);
  const word = bits.getUint32(0);
  let e = f32((word >>> 23) - 126);
  bits.setUint32(0, (word & 0x807fffff) | 0x3f000000); // mantissa in [0.5, 1)
  const m = bits.getFloat32(0);
  let x: number;
  if (m < f32(Math.SQRT1_2)) {
    e = f32(e - 1);
    x = f32(f32(m - 1) + m);
  } else {
    x = f32(m - 1);
  }
  const z = f32(x * x);
  let y = LOG_POLY[0];
  for (let k = 1; k < LOG_POLY.length; k++) y = fma(y, x, LOG_POLY[k]);
  y = f32(y * x);
  // ln 2 split in two parts (0.693359375 − 2.12194440e-4) for extra precision.
  y = fma(y, z, f32(e * f32(-2.1219444e-4)));
  y = fma(-z, 0.5, y);
  x = f32(x + y);
  return fma(e, f32(0.693359375), x);
}

/** [sin θ, cos θ] for 0 ≤ θ < 2π: reduce by multiples of π/4 (π/4 split in three parts),
 *  then the Cephes minimax polynomials on [−π/4, π/4]. */
function cephesSinCosF32(theta: number): [number, number] {
  let j = Math.trunc(f32(theta * f32(4 / Math.PI)));
  j = (j + 1) & ~1;
  const octant = f32(j);
  let x = fma(octant, f32(-0.78515625), theta);
  x = fma(octant, f32(-2.4187564849853515625e-4), x);
  x = fma(octant, f32(-3.77489497744594108e-8), x);
  const z = f32(x * x);
  let c = fma(f32(2.443315711809948e-5), z, f32(-1.388731625493765e-3));
  c = fma(c, z, f32(4.166664568298827e-2));
  c = f32(c * z);
  c = f32(f32(c * z - f32(z * 0.5)) + 1);
  let s = fma(f32(-1.9515295891e-4), z, f32(8.3321608736e-3));
  s = fma(s, z, f32(-1.6666654611e-1));
  s = f32(s * z);
  s = fma(s, x, x);
  const sinPolynomialIsSin = (j & 2) === 0;
  let sin = sinPolynomialIsSin ? s : c;
  let cos = sinPolynomialIsSin ? c : s;
  if (j & 4) sin = -sin;
  if (((j - 2) & 4) === 0) cos = -cos;
  return [sin, cos];
}

const TWO_PI_F32 = f32(2 * Math.PI);

function boxMuller16(data: Float32Array, at: number): void {
  for (let j = 0; j < 8; j++) {
    const u1 = f32(1 - data[at + j]);
    const u2 = data[at + j + 8];
    const radius = f32(Math.sqrt(f32(-2 * cephesLogF32(u1))));
    const [sin, cos] = cephesSinCosF32(f32(TWO_PI_F32 * u2));
    data[at + j] = f32(radius * cos);
    data[at + j + 8] = f32(radius * sin);
  }
}

/** `count` standard normals, as torch.randn(count) with a CPU generator seeded `seed` (count ≥ 16). */
export function torchRandn(seed: number, count: number): Float32Array {
  if (!Number.isInteger(count) || count < 16) {
    throw new StudioFailure('internal', `torchRandn reproduces torch only for ≥ 16 values, got ${count}.`);
  }
  const next = mt19937(seed);
  const uniform = (): number => (next() & 0xffffff) / 0x1000000;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = uniform();
  for (let i = 0; i + 16 <= count; i += 16) boxMuller16(data, i);
  if (count % 16 !== 0) {
    const tail = count - 16;
    for (let i = 0; i < 16; i++) data[tail + i] = uniform();
    boxMuller16(data, tail);
  }
  return data;
}
