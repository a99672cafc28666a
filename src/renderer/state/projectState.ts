// The project as the editor sees it, and every change to it, in one reducer. Keeping all updates
// here (pure, no I/O) is what lets undo/redo and save/open be added later without touching
// components: they only ever dispatch actions.
import type { ImportedMedia, MediaRole } from '../../shared/contract';
import type { ProjectExportSettings, ProjectTake, ViewerMode } from '../../shared/projectFile';
import { applyPreset, defaultRenderParams, type PresetName, type RenderParams } from '../../shared/renderParams';
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
  /** The render panel's settings (the range comes from the in/out marks when a render starts). */
  render: RenderParams;
  /** Every render of this project, oldest first. */
  takes: readonly ProjectTake[];
  /** The take the output track and viewer show. */
  activeTake: string | null;
  exportSettings: ProjectExportSettings;
  viewerMode: ViewerMode;
}

export const DEFAULT_EXPORT_SETTINGS: ProjectExportSettings = {
  format: 'mp4',
  fps: null,
  size: null,
  layout: 'result',
  audio: 'motion',
  outPath: null,
};

export const EMPTY_PROJECT: ProjectState = {
  motion: null,
  reference: null,
  audio: null,
  range: { in: null, out: null },
  playhead: 0,
  names: {},
  render: defaultRenderParams(),
  takes: [],
  activeTake: null,
  exportSettings: DEFAULT_EXPORT_SETTINGS,
  viewerMode: 'output',
};

export type ProjectAction =
  | { type: 'media.set'; media: ImportedMedia; name?: string }
  | { type: 'media.remove'; role: MediaRole }
  | { type: 'playhead.set'; frame: number }
  | { type: 'playhead.step'; delta: number }
  | { type: 'range.in'; frame: number }
  | { type: 'range.out'; frame: number }
  | { type: 'range.clear' }
  | { type: 'render.set'; patch: Partial<RenderParams> }
  | { type: 'render.preset'; preset: PresetName }
  | { type: 'take.add'; take: ProjectTake }
  | { type: 'take.status'; jobId: string; status: ProjectTake['status'] }
  | { type: 'take.select'; jobId: string | null }
  | { type: 'take.remove'; jobId: string }
  | { type: 'export.set'; patch: Partial<ProjectExportSettings> }
  | { type: 'viewer.mode'; mode: ViewerMode }
  /** Replace everything (a project opened, or undo/redo restoring a snapshot). */
  | { type: 'project.replace'; state: ProjectState };

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
    case 'render.set':
      return changed(state.render, action.patch) ? { ...state, render: { ...state.render, ...action.patch } } : state;
    case 'render.preset':
      return { ...state, render: applyPreset(state.render, action.preset) };
    case 'export.set':
      return changed(state.exportSettings, action.patch) ? { ...state, exportSettings: { ...state.exportSettings, ...action.patch } } : state;
    case 'viewer.mode':
      return state.viewerMode === action.mode ? state : { ...state, viewerMode: action.mode };
    case 'project.replace':
      return action.state;
    default:
      return takeReducer(state, action);
  }
}

function takeReducer(state: ProjectState, action: ProjectAction): ProjectState {
  switch (action.type) {
    case 'take.add':
      return { ...state, takes: [...state.takes.filter((t) => t.jobId !== action.take.jobId), action.take], activeTake: action.take.jobId };
    case 'take.status': {
      const take = state.takes.find((t) => t.jobId === action.jobId);
      if (!take || take.status === action.status) return state;
      return { ...state, takes: state.takes.map((t) => (t === take ? { ...t, status: action.status } : t)) };
    }
    case 'take.select':
      return state.activeTake === action.jobId || (action.jobId !== null && !state.takes.some((t) => t.jobId === action.jobId))
        ? state
        : { ...state, activeTake: action.jobId };
    case 'take.remove': {
      const takes = state.takes.filter((t) => t.jobId !== action.jobId);
      if (takes.length === state.takes.length) return state;
      const activeTake = state.activeTake === action.jobId ? (takes.at(-1)?.jobId ?? null) : state.activeTake;
      return { ...state, takes, activeTake };
    }
    default:
      return state;
  }
}

/** True when applying `patch` would change a field of `current`. */
function changed<T extends object>(current: T, patch: Partial<T>): boolean {
  return (Object.keys(patch) as (keyof T)[]).some((key) => !Object.is(current[key], patch[key]));
}

/** The render range for the engine: the in/out marks (inclusive) as [start, end), null for the whole clip. */
export function renderRange(state: ProjectState): RenderParams['range'] {
  if (state.range.in === null && state.range.out === null) return null;
  const { first, last } = playRange(state);
  return { start: first, end: last + 1 };
}

/** The take shown on the output track, if any. */
export function activeTake(state: ProjectState): ProjectTake | null {
  return state.takes.find((t) => t.jobId === state.activeTake) ?? null;
}
