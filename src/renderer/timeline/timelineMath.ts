// All timeline geometry in one place (STYLE.md §11): the unit is the integer frame index, and the
// only conversion between frames and pixels is pxPerFrame. Pure functions, tested without a DOM.

/** Pixels one frame takes at zoom 1. */
export const BASE_PX_PER_FRAME = 8;
/** Zoom bounds match the persisted setting (SettingsSchema.timelineZoom). */
export const MIN_ZOOM = 0.1;
export const MAX_ZOOM = 64;
/** One +/- key press or wheel notch multiplies the zoom by this factor. */
export const ZOOM_FACTOR = Math.SQRT2;

/** Timecode base used when the clip has no frame rate (images, nothing loaded). */
export const FALLBACK_FPS = 25;

export interface FrameRange {
  /** First frame, inclusive. */
  start: number;
  /** Last frame, exclusive. */
  end: number;
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

export function clampZoom(zoom: number): number {
  return Number.isFinite(zoom) ? clamp(zoom, MIN_ZOOM, MAX_ZOOM) : 1;
}

export function pxPerFrameForZoom(zoom: number): number {
  return BASE_PX_PER_FRAME * clampZoom(zoom);
}

export function framesToPixels(frames: number, pxPerFrame: number): number {
  return frames * pxPerFrame;
}

/** Fractional frames at a pixel offset; use frameAtPixel for the frame a pointer is over. */
export function pixelsToFrames(px: number, pxPerFrame: number): number {
  return px / pxPerFrame;
}

/** An integer frame index inside [0, frameCount - 1] (0 when the timeline is empty). */
export function clampFrame(frame: number, frameCount: number): number {
  if (!Number.isFinite(frame)) return 0;
  return clamp(Math.round(frame), 0, Math.max(0, frameCount - 1));
}

/** The frame whose cell [f·px, (f+1)·px) contains the pixel. */
export function frameAtPixel(px: number, pxPerFrame: number, frameCount: number): number {
  return clampFrame(Math.floor(pixelsToFrames(px, pxPerFrame)), frameCount);
}

/** Integer timebase for the FF field: 29.97 counts 30 frames a second (non-drop timecode). */
export function timebase(fps: number): number {
  return fps > 0 && Number.isFinite(fps) ? Math.max(1, Math.round(fps)) : FALLBACK_FPS;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** HH:MM:SS:FF at the clip's frame rate. */
export function formatTimecode(frame: number, fps: number): string {
  const base = timebase(fps);
  const whole = Math.max(0, Math.floor(frame));
  const ff = whole % base;
  const totalSeconds = Math.floor(whole / base);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  return `${pad2(hh)}:${pad2(mm)}:${pad2(ss)}:${pad2(ff)}`;
}

/** Frames whose cells intersect the viewport, widened by `overscan` frames each side. */
export function visibleFrameRange(
  scrollLeft: number,
  viewportWidth: number,
  pxPerFrame: number,
  frameCount: number,
  overscan = 0,
): FrameRange {
  if (frameCount <= 0 || viewportWidth <= 0) return { start: 0, end: 0 };
  const first = Math.floor(pixelsToFrames(Math.max(0, scrollLeft), pxPerFrame)) - overscan;
  const last = Math.ceil(pixelsToFrames(scrollLeft + viewportWidth, pxPerFrame)) + overscan;
  return { start: clamp(first, 0, frameCount), end: clamp(last, 0, frameCount) };
}

/** Frame steps a ruler may label: small counts first, then whole seconds and minutes. */
function tickCandidates(fps: number): number[] {
  const base = timebase(fps);
  const frames = [1, 2, 5, 10].filter((n) => n < base);
  const seconds = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800, 3600].map((s) => s * base);
  return [...frames, ...seconds];
}

export interface TickSteps {
  /** Frames between labelled ticks. */
  major: number;
  /** Frames between small ticks; divides `major`. */
  minor: number;
}

/** Label spacing that keeps labels at least `minLabelPx` apart at this zoom. */
export function rulerTickSteps(pxPerFrame: number, fps: number, minLabelPx = 72, minTickPx = 6): TickSteps {
  const candidates = tickCandidates(fps);
  const major = candidates.find((c) => c * pxPerFrame >= minLabelPx) ?? candidates[candidates.length - 1];
  const minor = candidates.find((c) => c * pxPerFrame >= minTickPx && major % c === 0) ?? major;
  return { major, minor };
}

/** Multiples of `step` inside the range (end exclusive). */
export function ticksInRange(range: FrameRange, step: number): number[] {
  const ticks: number[] = [];
  if (step <= 0) return ticks;
  for (let f = Math.ceil(range.start / step) * step; f < range.end; f += step) ticks.push(f);
  return ticks;
}

/** One zoom step in or out (`direction` +1 / -1), clamped. */
export function stepZoom(zoom: number, direction: number): number {
  return clampZoom(zoom * ZOOM_FACTOR ** direction);
}

/** Zoom that fits the whole clip into the viewport. */
export function zoomToFit(frameCount: number, viewportWidth: number): number {
  if (frameCount <= 0 || viewportWidth <= 0) return 1;
  return clampZoom(viewportWidth / (frameCount * BASE_PX_PER_FRAME));
}

/**
 * Scroll offset after a zoom that keeps the frame under `anchorX` (pixels from the viewport's left
 * edge) under the pointer, as NLEs do for Ctrl+wheel.
 */
export function scrollAfterZoom(scrollLeft: number, anchorX: number, oldPxPerFrame: number, newPxPerFrame: number): number {
  const anchorFrame = pixelsToFrames(scrollLeft + anchorX, oldPxPerFrame);
  return Math.max(0, framesToPixels(anchorFrame, newPxPerFrame) - anchorX);
}

/**
 * Scroll offset that brings `frame` into view (during playback or key stepping); unchanged when
 * it is already visible with `margin` pixels to spare.
 */
export function scrollToReveal(frame: number, scrollLeft: number, viewportWidth: number, pxPerFrame: number, margin = 24): number {
  const x = framesToPixels(frame, pxPerFrame);
  if (x < scrollLeft + margin) return Math.max(0, x - margin);
  if (x + pxPerFrame > scrollLeft + viewportWidth - margin) return Math.max(0, x + pxPerFrame - viewportWidth + margin);
  return scrollLeft;
}

/** The zoom slider works in log2 so each notch feels the same. */
export function zoomToSlider(zoom: number): number {
  return Math.log2(clampZoom(zoom));
}

export function sliderToZoom(value: number): number {
  return clampZoom(2 ** value);
}

export const SLIDER_MIN = Math.log2(MIN_ZOOM);
export const SLIDER_MAX = Math.log2(MAX_ZOOM);

/** Frames per thumbnail so thumbnails never overlap: 1 when zoomed in, more when zoomed out. */
export function thumbStep(thumbWidthPx: number, pxPerFrame: number): number {
  return Math.max(1, Math.ceil(thumbWidthPx / pxPerFrame - 1e-9));
}

/** Frames that get a thumbnail: multiples of `step` whose cell reaches into the visible range. */
export function thumbFrames(visible: FrameRange, step: number): number[] {
  return ticksInRange({ start: Math.floor(visible.start / step) * step, end: visible.end }, step);
}
