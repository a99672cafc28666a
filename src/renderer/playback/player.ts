// Space play/pause: a requestAnimationFrame loop that moves the playhead at the clip's frame rate
// over the in/out range (looping), until paused. A scrub while playing re-anchors the clock at the
// new frame instead of fighting it.
import { playRange, timelineFps, timelineLength } from '../state/projectState';
import { dispatch, playbackStore, projectStore } from '../state/stores';
import { playbackFrame, playbackStartFrame } from './playbackMath';

let rafId: number | null = null;

export function isPlaying(): boolean {
  return playbackStore.get().playing;
}

export function stopPlayback(): void {
  if (rafId !== null) cancelAnimationFrame(rafId);
  rafId = null;
  playbackStore.set((p) => (p.playing ? { playing: false } : p));
}

export function startPlayback(): void {
  const state = projectStore.get();
  if (isPlaying() || timelineLength(state) <= 1) return;
  const { first, last } = playRange(state);
  let anchorFrame = playbackStartFrame(state.playhead, first, last);
  let anchorTime = performance.now();
  let lastShown = anchorFrame;
  dispatch({ type: 'playhead.set', frame: anchorFrame });
  playbackStore.set({ playing: true });

  const tick = (now: number): void => {
    const current = projectStore.get();
    if (timelineLength(current) <= 1) return stopPlayback();
    if (current.playhead !== lastShown) {
      // Someone scrubbed: continue from there.
      anchorFrame = current.playhead;
      anchorTime = now;
    }
    const range = playRange(current);
    lastShown = playbackFrame(anchorFrame, now - anchorTime, timelineFps(current), range.first, range.last);
    dispatch({ type: 'playhead.set', frame: lastShown });
    rafId = requestAnimationFrame(tick);
  };
  rafId = requestAnimationFrame(tick);
}

export function togglePlayback(): void {
  if (isPlaying()) stopPlayback();
  else startPlayback();
}
