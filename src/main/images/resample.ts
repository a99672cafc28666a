// Pillow's `Image.resize` for 8-bit images, reproduced level for level.
//
// Public API (stable; the DensePose preprocessing reuses it):
//   resizeRgb(pixels, width, height, channels, outWidth, outHeight, filter, box?) → Uint8Array
//     pixels: row-major interleaved uint8, width·height·channels bytes (channels 1…4, each resampled
//     on its own, as Pillow does for L, RGB, RGBX, CMYK; Pillow premultiplies RGBA/LA by alpha first,
//     which this function does NOT do: flatten alpha before calling it).
//     filter: 'bicubic' (PIL's default for resize, a = −0.5; MagicAnimate's demo), 'bilinear'
//     (triangle; detectron2's ResizeShortestEdge), 'box'.
//     box: Pillow's `box` argument, the source rectangle [left, top, right, bottom] in pixels
//     (default: the whole image). Returns a new array (a copy when nothing changes).
//   PIL_FILTERS: the filter names, one vocabulary for callers' option lists.
//
// How Pillow does it (src/libImaging/Resample.c, ImagingResample; read, not copied):
//   - The filter's support is scaled by the downscale factor (scale = in/out when > 1), which makes
//     a downscale antialiased; the kernel is sampled at pixel centres and normalised to sum 1.
//   - Coefficients become 22-bit fixed point (PRECISION_BITS = 32 − 8 − 2), rounded half away
//     from zero; each output sums integer products plus a half and keeps the top bits, clamped to
//     0…255. This rounding happens after EACH pass: the intermediate image is uint8.
//   - Horizontal pass first, over only the source rows that the vertical pass will read, then the
//     vertical pass; a pass whose size and box do not change is skipped.
//   - Window bounds use C's truncation toward zero, (int)(centre ± support + 0.5), not floor.
//   - Box edges are C floats, and `right − left` is computed in float before the division.
import { StudioFailure } from '../../shared/result';

export const PIL_FILTERS = ['bicubic', 'bilinear', 'box'] as const;
export type PilFilter = (typeof PIL_FILTERS)[number];

/** Pillow's `box`: the source rectangle, in source pixels (may be fractional). */
export type ResizeBox = readonly [left: number, top: number, right: number, bottom: number];

interface Kernel {
  weight(x: number): number;
  /** Half-width at scale 1, in source pixels. */
  support: number;
}

const KERNELS: Readonly<Record<PilFilter, Kernel>> = Object.freeze({
  box: {
    support: 0.5,
    weight: (x: number) => (x > -0.5 && x <= 0.5 ? 1 : 0),
  },
  bilinear: {
    support: 1,
    weight: (x: number) => {
      const ax = Math.abs(x);
      return ax < 1 ? 1 - ax : 0;
    },
  },
  bicubic: {
    support: 2,
    // Keys' cubic convolution with a = −0.5, written in Pillow's evaluation order (the order of the
    // double-precision operations decides the last bit, and the last bit can decide a rounding).
    weight: (x: number) => {
      const a = -0.5;
      const ax = Math.abs(x);
      if (ax < 1) return ((a + 2) * ax - (a + 3)) * ax * ax + 1;
      if (ax < 2) return (((ax - 5) * ax + 8) * ax - 4) * a;
      return 0;
    },
  },
});

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 1 << PRECISION_BITS;
const HALF = 1 << (PRECISION_BITS - 1);

/** One axis' resampling plan: for output i, taps [first[i], first[i] + count[i]) with `coeffs`. */
export interface AxisPlan {
  /** Taps per output slot in `coeffs` (the maximum window length). */
  stride: number;
  first: Int32Array;
  count: Int32Array;
  /** Fixed-point coefficients, `stride` per output. */
  coeffs: Int32Array;
}

/** Pillow's precompute_coeffs + normalize_coeffs_8bpc for one axis. */
export function axisPlan(inSize: number, start: number, end: number, outSize: number, filter: PilFilter): AxisPlan {
  const kernel = KERNELS[filter];
  const in0 = Math.fround(start);
  const scale = Math.fround(Math.fround(end) - in0) / outSize;
  const filterScale = Math.max(scale, 1);
  const support = kernel.support * filterScale;
  const stride = Math.ceil(support) * 2 + 1;
  const invFilterScale = 1 / filterScale;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const coeffs = new Int32Array(outSize * stride);
  const weights = new Float64Array(stride);
  for (let i = 0; i < outSize; i++) {
    const centre = in0 + (i + 0.5) * scale;
    const lo = Math.max(Math.trunc(centre - support + 0.5), 0);
    const hi = Math.min(Math.trunc(centre + support + 0.5), inSize);
    const n = hi - lo;
    let total = 0;
    for (let t = 0; t < n; t++) {
      const w = kernel.weight((t + lo - centre + 0.5) * invFilterScale);
      weights[t] = w;
      total += w;
    }
    for (let t = 0; t < n; t++) {
      const w = total !== 0 ? weights[t] / total : weights[t];
      // (int)(±0.5 + w·2^22): round half away from zero.
      coeffs[i * stride + t] = Math.trunc(w < 0 ? -0.5 + w * ONE : 0.5 + w * ONE);
    }
    first[i] = lo;
    count[i] = n;
  }
  return { stride, first, count, coeffs };
}

/** (sum + half) >> 22, clamped to a byte: Pillow's clip8. */
function clip8(sum: number): number {
  const v = sum >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/** Horizontal pass over source rows [rowStart, rowStart + rows). */
function resampleRows(
  src: Uint8Array, width: number, channels: number, rowStart: number, rows: number, plan: AxisPlan,
): Uint8Array {
  const outWidth = plan.first.length;
  const out = new Uint8Array(outWidth * rows * channels);
  const { stride, first, count, coeffs } = plan;
  for (let y = 0; y < rows; y++) {
    const rowBase = (rowStart + y) * width * channels;
    const outBase = y * outWidth * channels;
    for (let x = 0; x < outWidth; x++) {
      const k = x * stride;
      const n = count[x];
      const tap0 = rowBase + first[x] * channels;
      for (let c = 0; c < channels; c++) {
        let sum = HALF;
        for (let t = 0; t < n; t++) sum += src[tap0 + t * channels + c] * coeffs[k + t];
        out[outBase + x * channels + c] = clip8(sum);
      }
    }
  }
  return out;
}

/** Vertical pass; `rowOffset` is the first source row held in `src`. */
function resampleColumns(
  src: Uint8Array, width: number, channels: number, rowOffset: number, plan: AxisPlan,
): Uint8Array {
  const outHeight = plan.first.length;
  const rowBytes = width * channels;
  const out = new Uint8Array(outHeight * rowBytes);
  const { stride, first, count, coeffs } = plan;
  for (let y = 0; y < outHeight; y++) {
    const k = y * stride;
    const n = count[y];
    const tap0 = (first[y] - rowOffset) * rowBytes;
    const outBase = y * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      let sum = HALF;
      for (let t = 0; t < n; t++) sum += src[tap0 + t * rowBytes + i] * coeffs[k + t];
      out[outBase + i] = clip8(sum);
    }
  }
  return out;
}

function checkArguments(
  pixels: Uint8Array, width: number, height: number, channels: number, outWidth: number, outHeight: number,
  filter: PilFilter, box: ResizeBox,
): void {
  const sizes = [width, height, outWidth, outHeight];
  if (!sizes.every((s) => Number.isInteger(s) && s > 0)) {
    throw new StudioFailure('invalid_request', `Cannot resize ${width}×${height} to ${outWidth}×${outHeight}: sizes must be positive integers.`);
  }
  if (!(Number.isInteger(channels) && channels >= 1 && channels <= 4)) {
    throw new StudioFailure('invalid_request', `Cannot resize an image with ${channels} channels (1 to 4 are supported).`);
  }
  if (pixels.length !== width * height * channels) {
    throw new StudioFailure('invalid_request', `The pixels hold ${pixels.length} bytes, not ${width}×${height}×${channels}.`);
  }
  if (!Object.hasOwn(KERNELS, filter)) {
    throw new StudioFailure('invalid_request', `Unknown resampling filter "${String(filter)}" (use ${PIL_FILTERS.join(', ')}).`);
  }
  const [left, top, right, bottom] = box;
  if (!box.every(Number.isFinite) || left < 0 || top < 0 || right > width || bottom > height) {
    throw new StudioFailure('invalid_request', `The resize box [${box.join(', ')}] is outside the ${width}×${height} image.`);
  }
  if (right - left < 0 || bottom - top < 0) {
    throw new StudioFailure('invalid_request', `The resize box [${box.join(', ')}] is empty.`);
  }
}

/**
 * Pillow's `Image.fromarray(pixels).resize((outWidth, outHeight), filter, box)` for uint8 images,
 * exactly. See the header for the conventions.
 */
export function resizeRgb(
  pixels: Uint8Array, width: number, height: number, channels: number,
  outWidth: number, outHeight: number, filter: PilFilter, box: ResizeBox = [0, 0, width, height],
): Uint8Array {
  checkArguments(pixels, width, height, channels, outWidth, outHeight, filter, box);
  const [left, top, right, bottom] = box.map(Math.fround);
  const needHorizontal = outWidth !== width || left !== 0 || right !== outWidth;
  const needVertical = outHeight !== height || top !== 0 || bottom !== outHeight;
  if (!needHorizontal && !needVertical) return pixels.slice();
  const vertical = axisPlan(height, top, bottom, outHeight, filter);
  let image = pixels;
  let imageWidth = width;
  let rowOffset = 0;
  if (needHorizontal) {
    // Only the rows the vertical pass reads: [first tap of output 0, last tap of the last output).
    const firstRow = vertical.first[0];
    const lastRow = vertical.first[outHeight - 1] + vertical.count[outHeight - 1];
    image = resampleRows(image, width, channels, firstRow, lastRow - firstRow, axisPlan(width, left, right, outWidth, filter));
    imageWidth = outWidth;
    rowOffset = firstRow;
  }
  if (needVertical) image = resampleColumns(image, imageWidth, channels, rowOffset, vertical);
  return image;
}
