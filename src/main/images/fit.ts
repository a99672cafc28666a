// Fits an RGB image to the model's frame size with Pillow's bicubic (resample.ts), the resize the
// official demo applies to the reference photo and to every DensePose frame:
//   Image.fromarray(x).resize((size, size))   (PIL's default filter is BICUBIC)
//
// The official code always stretches to a square. We keep the aspect ratio instead ('pad' adds bars,
// 'crop' cuts the centre); when the input's aspect ratio is the frame's (the official case: square
// in, square out), both are the same single bicubic resize of the whole image, byte for byte.
//   - 'crop' is Pillow's own way (ImageOps.fit): one resize of the centred source box, so there is
//     no second rounding;
//   - 'pad' resizes to the largest size that fits, rounded to whole pixels, and centres it on bars;
//   - 'stretch' is the official squash, for callers that want it.
import { StudioFailure } from '../../shared/result';
import type { Rgb } from '../media/filters';
import type { RgbImage } from './decode';
import { resizeRgb, type ResizeBox } from './resample';

export type ImageFit = 'stretch' | 'pad' | 'crop';

export interface FitTarget {
  width: number;
  height: number;
  fit: ImageFit;
  /** Colour of the bars added by 'pad' (default black). */
  padColor?: Rgb;
}

/** The centred source box with the target's aspect ratio (the whole image when they agree). */
export function centredCropBox(width: number, height: number, outWidth: number, outHeight: number): ResizeBox {
  if (width * outHeight === height * outWidth) return [0, 0, width, height];
  if (width * outHeight > height * outWidth) {
    const cropWidth = (height * outWidth) / outHeight;
    const left = (width - cropWidth) / 2;
    return [left, 0, left + cropWidth, height];
  }
  const cropHeight = (width * outHeight) / outWidth;
  const top = (height - cropHeight) / 2;
  return [0, top, width, top + cropHeight];
}

/** The size an image takes inside the frame with its aspect ratio kept (at least 1×1). */
export function paddedInnerSize(width: number, height: number, outWidth: number, outHeight: number): { width: number; height: number } {
  if (width * outHeight === height * outWidth) return { width: outWidth, height: outHeight };
  const scale = Math.min(outWidth / width, outHeight / height);
  return {
    width: Math.min(outWidth, Math.max(1, Math.round(width * scale))),
    height: Math.min(outHeight, Math.max(1, Math.round(height * scale))),
  };
}

/** RGB24 at target.width × target.height. */
export function fitRgb(image: RgbImage, target: FitTarget): Uint8Array {
  const { pixels, width, height } = image;
  const { width: outWidth, height: outHeight } = target;
  if (!(Number.isInteger(outWidth) && Number.isInteger(outHeight) && outWidth > 0 && outHeight > 0)) {
    throw new StudioFailure('invalid_request', `Frame size ${outWidth}×${outHeight} is not valid.`);
  }
  switch (target.fit) {
    case 'stretch':
      return resizeRgb(pixels, width, height, 3, outWidth, outHeight, 'bicubic');
    case 'crop':
      return resizeRgb(pixels, width, height, 3, outWidth, outHeight, 'bicubic', centredCropBox(width, height, outWidth, outHeight));
    case 'pad': {
      const inner = paddedInnerSize(width, height, outWidth, outHeight);
      const resized = resizeRgb(pixels, width, height, 3, inner.width, inner.height, 'bicubic');
      if (inner.width === outWidth && inner.height === outHeight) return resized;
      return centreOnBars(resized, inner.width, inner.height, outWidth, outHeight, target.padColor ?? [0, 0, 0]);
    }
  }
}

function centreOnBars(src: Uint8Array, width: number, height: number, outWidth: number, outHeight: number, color: Rgb): Uint8Array {
  const out = new Uint8Array(outWidth * outHeight * 3);
  for (let i = 0; i < out.length; i += 3) out.set(color, i);
  const left = (outWidth - width) >> 1;
  const top = (outHeight - height) >> 1;
  for (let y = 0; y < height; y++) {
    out.set(src.subarray(y * width * 3, (y + 1) * width * 3), ((top + y) * outWidth + left) * 3);
  }
  return out;
}
