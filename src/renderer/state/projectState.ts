// The project as the editor sees it, and every change to it, in one reducer. Keeping all updates
// here (pure, no I/O) is what lets undo/redo and save/open be added later without touching
// components: they only ever dispatch actions.
import type { ImportedMedia, MediaRole } from '../../shared/contract';
import { baseName } from '../import/roleInference';
import { FALLBACK_FPS, clampFrame } from '../timeline/timelineMath';

/** In/out marks are inclusive frame indices, as in NLEs; null when not set. */
export interface InOutRange {
  in: number | null;
  out: number | null;
}

export interface ProjectState {
  motion: ImportedMedia | null;
  reference: ImportedMedia | null;
  audio: ImportedMedia | null;
  range: InOutRange;
  playhead: number;
  /**
   * What the person called each file, by media id. Browser mode uploads a dropped file under a
   * new name, so the main-side path is not what the timeline should show.
   */
  names: Readonly<Record<string, string>>;
}

export const EMPTY_PROJECT: ProjectState = {
  motion: null,
  reference: null,
  audio: null,
  range: { in: null, out: null },
  playhead: 0,
  names: {},
};

export type ProjectAction =
  | { type: 'media.set'; media: ImportedMedia; name?: string }
  | { type: 'media.remove'; role: MediaRole }
  | { type: 'playhead.set'; frame: number }
  | { type: 'playhead.step'; delta: number }
  | { type: 'range.in'; frame: number }
  | { type: 'range.out'; frame: number }
  | { type: 'range.clear' };

// ---------------------------------------------------------------------------------------------
// Derived facts (selectors)

/** Frame rate of the timeline: the motion clip's, else the fallback timecode base. */
export function timelineFps(state: ProjectState): number {
  const fps = state.motion?.info.fps ?? 0;
  return fps > 0 ? fps : FALLBACK_FPS;
}

/** Frames an audio file covers at the timeline's rate. */
export function audioFrames(media: ImportedMedia, fps: number): number {
  return Math.ceil(media.info.durationSec * fps - 1e-6);
}

/**
 * Timeline length in frames: the motion clip drives it (it is what gets animated); audio alone
 * spans its duration; a lone reference photo is a one-frame timeline.
 */
export function timelineLength(state: ProjectState): number {
  if (state.motion) return state.motion.info.frameCount;
  if (state.audio) return audioFrames(state.audio, timelineFps(state));
  return state.reference ? 1 : 0;
}

/** The audio the Audio track shows: a dropped audio file wins over the motion clip's own sound. */
export function audioSource(state: ProjectState): ImportedMedia | null {
  if (state.audio) return state.audio;
  return state.motion?.info.hasAudio ? state.motion : null;
}

/** The name to show for a media item: the file name the person chose, else the path's last part. */
export function mediaName(state: ProjectState, media: ImportedMedia): string {
  return state.names[media.id] ?? baseName(media.info.path);
}

/** Inclusive [first, last] frames that playback loops over: the in/out marks or the whole clip. */
export function playRange(state: ProjectState): { first: number; last: number } {
  const length = timelineLength(state);
  const first = state.range.in ?? 0;
  const last = state.range.out ?? Math.max(0, length - 1);
  return { first, last };
}

// ---------------------------------------------------------------------------------------------
// The reducer

/** Keep the playhead and marks inside a (possibly new) timeline length. */
function fitToLength(state: ProjectState): ProjectState {
  const length = timelineLength(state);
  const inside = (f: number | null): number | null => (f === null || f >= length ? null : f);
  const range = { in: inside(state.range.in), out: inside(state.range.out) };
  const sameRange = range.in === state.range.in && range.out === state.range.out;
  const playhead = clampFrame(state.playhead, length);
  if (sameRange && playhead === state.playhead) return state;
  return { ...state, range: sameRange ? state.range : range, playhead };
}

function withPlayhead(state: ProjectState, frame: number): ProjectState {
  const playhead = clampFrame(frame, timelineLength(state));
  return playhead === state.playhead ? state : { ...state, playhead };
}

/** Setting one mark past the other clears the other, so the range is never inverted. */
function withMark(state: ProjectState, mark: 'in' | 'out', frame: number): ProjectState {
  const f = clampFrame(frame, timelineLength(state));
  const { in: markIn, out: markOut } = state.range;
  if (mark === 'in') return { ...state, range: { in: f, out: markOut !== null && markOut < f ? null : markOut } };
  return { ...state, range: { in: markIn !== null && markIn > f ? null : markIn, out: f } };
}

export function projectReducer(state: ProjectState, action: ProjectAction): ProjectState {
  switch (action.type) {
    case 'media.set': {
      const names = action.name ? { ...state.names, [action.media.id]: action.name } : state.names;
      return fitToLength({ ...state, [action.media.role]: action.media, names });
    }
    case 'media.remove':
      return state[action.role] === null ? state : fitToLength({ ...state, [action.role]: null });
    case 'playhead.set':
      return withPlayhead(state, action.frame);
    case 'playhead.step':
      return withPlayhead(state, state.playhead + action.delta);
    case 'range.in':
      return timelineLength(state) > 0 ? withMark(state, 'in', action.frame) : state;
    case 'range.out':
      return timelineLength(state) > 0 ? withMark(state, 'out', action.frame) : state;
    case 'range.clear':
      return state.range.in === null && state.range.out === null ? state : { ...state, range: { in: null, out: null } };
  }
}
