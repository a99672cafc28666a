// Decodes a still image to 8-bit RGB the way the official code's `Image.open(path)` sees it, with
// sharp (libvips; its npm packages ship libspng/libpng and mozjpeg's libjpeg-turbo-derived decoder).
// Measured against Debian's Pillow 9.4 (tests/images/decode.test.ts): the sample PNGs and the JPEG
// decode to the same bytes, 0 levels apart.
//
// Choices that keep it equal to Pillow:
//   - embedded ICC profiles are ignored (Pillow does not colour-manage on open);
//   - EXIF orientation is NOT applied (Pillow's open does not rotate; neither does the rest of the
//     app, so the framing preview and the render agree);
//   - grey becomes RGB by repeating the grey value (Pillow's convert('RGB')).
// And where the official code would fail (4-channel arrays reach its pipeline), a sensible result:
//   - alpha is blended onto `alphaBackground` (white by default), as the app always did;
//   - 16-bit images are reduced to 8 bits by sharp.
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { StudioFailure } from '../../shared/result';
import type { Rgb } from '../media/filters';
import { MAX_PIXELS } from '../media/probe';

/** An 8-bit RGB image, row-major, width·height·3 bytes. */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

export interface DecodeOptions {
  /** Background for transparent pixels (default white). */
  alphaBackground?: Rgb;
}

export async function decodeImageRgb(file: string, o: DecodeOptions = {}): Promise<RgbImage> {
  const name = path.basename(file);
  if (!fs.existsSync(file)) throw new StudioFailure('not_found', `The image ${file} does not exist; choose it again.`);
  const [r, g, b] = o.alphaBackground ?? [255, 255, 255];
  try {
    const { data, info } = await sharp(file, { ignoreIcc: true, limitInputPixels: MAX_PIXELS, failOn: 'error' })
      .flatten({ background: { r, g, b } })
      .toColourspace('srgb')
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) {
      throw new StudioFailure('corrupt_media', `${name} decoded to ${info.channels} channels, not RGB; convert it to an RGB PNG or JPEG.`);
    }
    return { pixels: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof StudioFailure) throw error;
    const reason = (error as Error).message.split('\n')[0];
    if (/pixel limit/i.test(reason)) {
      throw new StudioFailure('invalid_request', `${name} has more than ${MAX_PIXELS / 1e6} million pixels; scale it down and try again.`);
    }
    throw new StudioFailure('corrupt_media', `${name} could not be decoded (${reason}); re-export it as PNG or JPEG and try again.`);
  }
}
