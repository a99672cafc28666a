// Undo/redo for edits to the project: inputs, render and export settings, in/out marks. Every edit
// already passes the one reducer, so history only has to keep the state before each undoable
// action. Moving the playhead, switching takes or viewer modes, and renders finishing are not
// edits: undo restores the edited fields and leaves those as they are now.
import { clampFrame } from '../timeline/timelineMath';
import { timelineLength, type ProjectAction, type ProjectState } from './projectState';

export interface History {
  past: readonly ProjectState[];
  future: readonly ProjectState[];
  /** The last recorded action's coalescing key and time: a slider drag is one undo step. */
  lastKey: string | null;
  lastAt: number;
}

export const EMPTY_HISTORY: History = { past: [], future: [], lastKey: null, lastAt: 0 };

/** Undo steps kept; older ones are dropped. */
export const HISTORY_LIMIT = 200;
/** Changes to the same setting closer together than this merge into one step. */
export const COALESCE_MS = 800;

/**
 * How an action enters the history: null (not an edit), '' (an edit of its own), or a key that
 * merges it with an immediately preceding change of the same settings.
 */
export function editKey(action: ProjectAction): string | null {
  switch (action.type) {
    case 'media.set':
    case 'media.remove':
    case 'range.in':
    case 'range.out':
    case 'range.clear':
    case 'render.preset':
      return '';
    case 'render.set':
    case 'export.set':
      return `${action.type}:${Object.keys(action.patch).sort().join(',')}`;
    default:
      return null;
  }
}

/** Record `before` as an undo step for `action` (call only when the action changed the state). */
export function recordEdit(history: History, before: ProjectState, action: ProjectAction, now: number): History {
  const key = editKey(action);
  if (key === null) return history;
  const merges = key !== '' && key === history.lastKey && now - history.lastAt < COALESCE_MS;
  if (merges) return { ...history, future: [], lastAt: now };
  return { past: [...history.past, before].slice(-HISTORY_LIMIT), future: [], lastKey: key, lastAt: now };
}

/** The edited fields of `snapshot` with everything else (playhead, takes, viewer) from `current`. */
export function restoreEdits(current: ProjectState, snapshot: ProjectState): ProjectState {
  const restored: ProjectState = {
    ...snapshot,
    takes: current.takes,
    activeTake: current.activeTake,
    viewerMode: current.viewerMode,
    playhead: current.playhead,
  };
  return { ...restored, playhead: clampFrame(current.playhead, timelineLength(restored)) };
}

export function undo(history: History, current: ProjectState): { history: History; state: ProjectState } | null {
  const previous = history.past.at(-1);
  if (!previous) return null;
  return {
    history: { past: history.past.slice(0, -1), future: [...history.future, current], lastKey: null, lastAt: 0 },
    state: restoreEdits(current, previous),
  };
}

export function redo(history: History, current: ProjectState): { history: History; state: ProjectState } | null {
  const next = history.future.at(-1);
  if (!next) return null;
  return {
    history: { past: [...history.past, current], future: history.future.slice(0, -1), lastKey: null, lastAt: 0 },
    state: restoreEdits(current, next),
  };
}
