import { describe, expect, it } from 'vitest';
import {
  BASE_PX_PER_FRAME,
  MAX_ZOOM,
  MIN_ZOOM,
  clampFrame,
  formatTimecode,
  frameAtPixel,
  framesToPixels,
  pixelsToFrames,
  pxPerFrameForZoom,
  rulerTickSteps,
  scrollAfterZoom,
  scrollToReveal,
  sliderToZoom,
  stepZoom,
  thumbFrames,
  thumbStep,
  ticksInRange,
  visibleFrameRange,
  zoomToFit,
  zoomToSlider,
} from '../../src/renderer/timeline/timelineMath';

describe('frames ↔ pixels', () => {
  it('round-trips and picks the frame whose cell holds the pixel', () => {
    expect(framesToPixels(10, 12)).toBe(120);
    expect(pixelsToFrames(120, 12)).toBe(10);
    expect(frameAtPixel(119.9, 12, 42)).toBe(9);
    expect(frameAtPixel(120, 12, 42)).toBe(10);
    expect(frameAtPixel(-50, 12, 42)).toBe(0);
    expect(frameAtPixel(1e6, 12, 42)).toBe(41);
  });

  it('clamps frames to the clip and survives an empty clip and NaN', () => {
    expect(clampFrame(41.6, 42)).toBe(41);
    expect(clampFrame(-3, 42)).toBe(0);
    expect(clampFrame(5, 0)).toBe(0);
    expect(clampFrame(Number.NaN, 42)).toBe(0);
  });

  it('maps zoom to pixels per frame inside the settings bounds', () => {
    expect(pxPerFrameForZoom(1)).toBe(BASE_PX_PER_FRAME);
    expect(pxPerFrameForZoom(1000)).toBe(BASE_PX_PER_FRAME * MAX_ZOOM);
    expect(pxPerFrameForZoom(0)).toBe(BASE_PX_PER_FRAME * MIN_ZOOM);
  });
});

describe('formatTimecode', () => {
  it('writes HH:MM:SS:FF at the clip rate', () => {
    expect(formatTimecode(0, 25)).toBe('00:00:00:00');
    expect(formatTimecode(24, 25)).toBe('00:00:00:24');
    expect(formatTimecode(25, 25)).toBe('00:00:01:00');
    expect(formatTimecode(41, 25)).toBe('00:00:01:16');
    expect(formatTimecode(25 * 3661 + 7, 25)).toBe('01:01:01:07');
  });

  it('counts 30 frames a second for 29.97 and falls back to 25 without a rate', () => {
    expect(formatTimecode(30, 29.97)).toBe('00:00:01:00');
    expect(formatTimecode(29, 29.97)).toBe('00:00:00:29');
    expect(formatTimecode(25, 0)).toBe('00:00:01:00');
    expect(formatTimecode(-4, 25)).toBe('00:00:00:00');
  });
});

describe('visibleFrameRange', () => {
  it('covers every cell touching the viewport, clamped to the clip', () => {
    // 10 px per frame, viewport 100..350 → frames 10..34 (cell 34 spans 340..350).
    expect(visibleFrameRange(100, 250, 10, 1000)).toEqual({ start: 10, end: 35 });
    expect(visibleFrameRange(105, 250, 10, 1000)).toEqual({ start: 10, end: 36 });
    expect(visibleFrameRange(0, 250, 10, 12)).toEqual({ start: 0, end: 12 });
    expect(visibleFrameRange(100, 250, 10, 1000, 3)).toEqual({ start: 7, end: 38 });
    expect(visibleFrameRange(0, 0, 10, 1000)).toEqual({ start: 0, end: 0 });
  });
});

describe('ruler ticks', () => {
  it('labels often when zoomed in and by whole seconds when zoomed out', () => {
    expect(rulerTickSteps(100, 25, 72)).toEqual({ major: 1, minor: 1 });
    expect(rulerTickSteps(8, 25, 72)).toEqual({ major: 10, minor: 1 });
    const far = rulerTickSteps(0.8, 25, 72);
    // 0.8 px a frame: 1 s = 20 px, 2 s = 40 px, 5 s = 100 px ≥ 72.
    expect(far.major).toBe(125);
    expect(far.major % far.minor).toBe(0);
    expect(far.minor * 0.8).toBeGreaterThanOrEqual(6);
  });

  it('lists multiples of the step inside the range', () => {
    expect(ticksInRange({ start: 3, end: 31 }, 10)).toEqual([10, 20, 30]);
    expect(ticksInRange({ start: 0, end: 3 }, 1)).toEqual([0, 1, 2]);
    expect(ticksInRange({ start: 0, end: 3 }, 0)).toEqual([]);
  });
});

describe('thumbnails', () => {
  it('skips frames when zoomed out so thumbnails never overlap', () => {
    expect(thumbStep(50, 100)).toBe(1);
    expect(thumbStep(50, 50)).toBe(1);
    expect(thumbStep(50, 8)).toBe(7);
  });

  it('includes the thumbnail whose cell starts before the visible range', () => {
    expect(thumbFrames({ start: 9, end: 30 }, 7)).toEqual([7, 14, 21, 28]);
    expect(thumbFrames({ start: 0, end: 3 }, 1)).toEqual([0, 1, 2]);
  });
});

describe('zoom and scroll', () => {
  it('steps and clamps the zoom', () => {
    expect(stepZoom(1, 1)).toBeCloseTo(Math.SQRT2);
    expect(stepZoom(1, -2)).toBeCloseTo(0.5);
    expect(stepZoom(MAX_ZOOM, 1)).toBe(MAX_ZOOM);
  });

  it('fits a clip into the viewport', () => {
    expect(zoomToFit(100, 800)).toBe(1);
    expect(zoomToFit(42, 0)).toBe(1);
    expect(pxPerFrameForZoom(zoomToFit(42, 1000)) * 42).toBeCloseTo(1000);
  });

  it('keeps the frame under the pointer in place across a zoom', () => {
    const anchorX = 300;
    const scroll = scrollAfterZoom(200, anchorX, 8, 16);
    // Frame under the pointer before: (200+300)/8 = 62.5; after: (scroll+300)/16.
    expect((scroll + anchorX) / 16).toBeCloseTo(62.5);
    expect(scrollAfterZoom(0, 10, 16, 8)).toBe(0);
  });

  it('reveals a frame only when it is off screen', () => {
    expect(scrollToReveal(50, 0, 1000, 10)).toBe(0);
    expect(scrollToReveal(200, 0, 1000, 10)).toBe(2010 - 1000 + 24);
    expect(scrollToReveal(5, 500, 1000, 10)).toBe(26);
  });

  it('maps the slider logarithmically and back', () => {
    expect(zoomToSlider(4)).toBeCloseTo(2);
    expect(sliderToZoom(zoomToSlider(3.3))).toBeCloseTo(3.3);
  });
});
