// Pure builders for ffmpeg filter strings shared by the frame cache, raw frame streams and images.

export type Rgb = readonly [number, number, number];
export type FitMode = 'stretch' | 'pad' | 'crop';

/**
 * Resampling close to PIL's default `Image.resize` (BICUBIC, Keys a = -0.5, support widened when
 * shrinking), which the official MagicAnimate demo uses. swscale's bicubic is B=0, C=0.6 by default;
 * param1=0.5 selects the same a = -0.5 kernel.
 * NOTE: results still differ by a few levels: PIL rounds to 8 bits between its horizontal and
 * vertical passes and clamps its kernel window differently at the borders; swscale keeps more
 * precision internally. Expect |Δ| ≤ ~3 on photos, larger only on hard edges.
 */
export const PIL_LIKE_SCALE_FLAGS = 'flags=bicubic+accurate_rnd+full_chroma_int:param0=0:param1=0.5';

export function hexColor([r, g, b]: Rgb): string {
  const byte = (v: number) => Math.max(0, Math.min(255, Math.round(v))).toString(16).padStart(2, '0');
  return `0x${byte(r)}${byte(g)}${byte(b)}`;
}

export interface FitOptions {
  width: number;
  height: number;
  fit: FitMode;
  /** Colour of the bars added by 'pad'. */
  padColor?: Rgb;
}

/**
 * Scale to exactly width×height. 'stretch' is what the official code does (PIL resize to size×size);
 * 'pad' keeps the aspect ratio and adds bars; 'crop' keeps the aspect ratio and cuts the centre.
 * Scaling runs on planar RGB (gbrp) so RGB sources are not round-tripped through YUV.
 */
export function fitFilter({ width, height, fit, padColor = [0, 0, 0] }: FitOptions, keepAlpha = false): string {
  const planar = keepAlpha ? 'gbrap' : 'gbrp';
  const packed = keepAlpha ? 'rgba' : 'rgb24';
  const scale = (extra: string) => `format=${planar},scale=${width}:${height}${extra}:${PIL_LIKE_SCALE_FLAGS}`;
  switch (fit) {
    case 'stretch':
      return `${scale('')},format=${packed}`;
    case 'pad':
      return (
        `${scale(':force_original_aspect_ratio=decrease')},` +
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2:color=${hexColor(padColor)},format=${packed}`
      );
    case 'crop':
      return `${scale(':force_original_aspect_ratio=increase')},crop=${width}:${height},format=${packed}`;
  }
}

/**
 * A filter-graph fragment that flattens a picture with alpha onto a solid background of the
 * picture's own size. Input label `[in]`, output label `[out]`.
 * NOTE: PIL's `convert('RGB')`, which the official demo path effectively uses, drops alpha without
 * blending (transparent pixels keep whatever colour they store); we blend instead, so a cut-out
 * subject lands on a clean white (default) or black background.
 */
export function flattenAlphaGraph(inLabel: string, outLabel: string, width: number, height: number, background: Rgb): string {
  return (
    `color=c=${hexColor(background)}:s=${width}x${height},format=rgb24[bg_${outLabel}];` +
    `[${inLabel}]format=rgba[fg_${outLabel}];` +
    `[bg_${outLabel}][fg_${outLabel}]overlay=format=rgb:shortest=1,format=rgb24[${outLabel}]`
  );
}

/** Frame-exact decoding: one output frame per decoded frame, none dropped or duplicated. */
export function passthroughArgs(version: { major: number; minor: number } | null): string[] {
  // NOTE: -fps_mode arrived in ffmpeg 5.1; -vsync is its deprecated older spelling.
  const modern = !version || version.major > 5 || (version.major === 5 && version.minor >= 1);
  return modern ? ['-fps_mode', 'passthrough'] : ['-vsync', 'passthrough'];
}
