import { describe, expect, it } from 'vitest';
import { playbackFrame, playbackStartFrame } from '../../src/renderer/playback/playbackMath';

describe('playbackFrame', () => {
  it('advances one frame per 1/fps seconds, exactly on the boundaries', () => {
    expect(playbackFrame(0, 0, 25, 0, 41)).toBe(0);
    expect(playbackFrame(0, 39.9, 25, 0, 41)).toBe(0);
    expect(playbackFrame(0, 40, 25, 0, 41)).toBe(1);
    expect(playbackFrame(0, 1000, 25, 0, 41)).toBe(25);
    // 1/30 s boundaries are not exact in binary: frame 3 starts at 100 ms.
    expect(playbackFrame(0, 100, 30, 0, 1000)).toBe(3);
  });

  it('does not drift: frame n at n/fps however long it plays', () => {
    for (let n = 0; n < 5000; n += 37) expect(playbackFrame(0, (n * 1000) / 24, 24, 0, 99_999)).toBe(n);
  });

  it('loops over the inclusive in/out range', () => {
    // Range 10..14 (5 frames) starting at 13: 13, 14, 10, 11, ...
    expect([0, 1, 2, 3].map((n) => playbackFrame(13, n * 40, 25, 10, 14))).toEqual([13, 14, 10, 11]);
    expect(playbackFrame(0, 40 * 42, 25, 0, 41)).toBe(0);
  });

  it('lands inside the range when scrubbed outside it', () => {
    expect(playbackFrame(3, 0, 25, 10, 14)).toBeGreaterThanOrEqual(10);
    expect(playbackFrame(3, 0, 25, 10, 14)).toBeLessThanOrEqual(14);
    expect(playbackFrame(30, 40, 25, 10, 14)).toBeLessThanOrEqual(14);
  });

  it('holds still on a one-frame range or without a rate', () => {
    expect(playbackFrame(5, 5000, 25, 5, 5)).toBe(5);
    expect(playbackFrame(0, 5000, 0, 0, 41)).toBe(0);
  });
});

describe('playbackStartFrame', () => {
  it('starts from the playhead, or rewinds when it sits at the end or outside', () => {
    expect(playbackStartFrame(7, 0, 41)).toBe(7);
    expect(playbackStartFrame(41, 0, 41)).toBe(0);
    expect(playbackStartFrame(3, 10, 20)).toBe(10);
  });
});
