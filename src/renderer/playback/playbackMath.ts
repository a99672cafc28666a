// Which frame playback shows at a given moment. Derived from elapsed wall-clock time rather than
// counted animation frames, so a slow or dropped requestAnimationFrame never makes the clip drift:
// frame n is on screen during [n/fps, (n+1)/fps) seconds after the start.

/** Where Space starts playing: the playhead, or the first frame when it sits on/after the last. */
export function playbackStartFrame(playhead: number, first: number, last: number): number {
  if (playhead < first || playhead >= last) return first;
  return playhead;
}

/** The frame `elapsedMs` after starting at `startFrame`, looping over the inclusive [first, last]. */
export function playbackFrame(startFrame: number, elapsedMs: number, fps: number, first: number, last: number): number {
  const span = last - first + 1;
  if (span <= 1 || fps <= 0) return first;
  // The epsilon keeps exact boundaries (e.g. 40 ms at 25 fps) from landing a frame early through
  // floating-point error.
  const advanced = Math.floor((Math.max(0, elapsedMs) * fps) / 1000 + 1e-9);
  // Double modulo: a start scrubbed outside the range still lands inside it.
  return first + ((((startFrame - first + advanced) % span) + span) % span);
}
