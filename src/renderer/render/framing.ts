// Where a source image lands in the render frame for each fit (pure, drawn by FramingPreview):
// 'pad' scales it to fit inside and letterboxes; 'crop' scales it to cover and cuts the excess.

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The source's rectangle in frame coordinates (it may extend past the frame when cropping). */
export function framingRect(srcWidth: number, srcHeight: number, frameWidth: number, frameHeight: number, fit: 'pad' | 'crop'): Rect {
  if (srcWidth <= 0 || srcHeight <= 0) return { x: 0, y: 0, width: frameWidth, height: frameHeight };
  const scaleX = frameWidth / srcWidth;
  const scaleY = frameHeight / srcHeight;
  const scale = fit === 'pad' ? Math.min(scaleX, scaleY) : Math.max(scaleX, scaleY);
  const width = srcWidth * scale;
  const height = srcHeight * scale;
  return { x: (frameWidth - width) / 2, y: (frameHeight - height) / 2, width, height };
}
