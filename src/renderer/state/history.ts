// Undo/redo for edits to the project: inputs, render settings, in/out marks, removing a take.
// Every edit already passes the one reducer, so history only has to keep the state before each
// undoable action. Moving the playhead, switching takes or viewer modes, export settings (they
// change nothing on screen) and renders finishing are not edits: undo restores the edited fields
// and leaves those as they are now.
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
    case 'take.remove':
      return '';
    case 'render.set':
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

/**
 * Takes after undoing back to `snapshot`: today's takes (renders started since stay), plus the
 * snapshot's takes that are gone now — takes only disappear by a removal, which is an undo step,
 * so they were removed after the snapshot. Each comes back at its old place in the list.
 */
function takesAfterUndo(current: ProjectState, snapshot: ProjectState): ProjectState['takes'] {
  const now = new Set(current.takes.map((t) => t.jobId));
  const removed = snapshot.takes.filter((t) => !now.has(t.jobId));
  if (removed.length === 0) return current.takes;
  const order = new Map(snapshot.takes.map((t, i) => [t.jobId, i]));
  const at = (jobId: string) => order.get(jobId) ?? Number.MAX_SAFE_INTEGER;
  return [...current.takes, ...removed].sort((a, b) => at(a.jobId) - at(b.jobId));
}

/**
 * The edited fields of `snapshot` with everything else (playhead, takes, viewer) from `current`.
 * Undo brings removed takes back; redo keeps the takes as they are (NOTE: a redone removal does
 * not remove the take again: takes have no creation order against the history to tell a take
 * removed by that step from one rendered after the undo).
 */
export function restoreEdits(current: ProjectState, snapshot: ProjectState, direction: 'undo' | 'redo' = 'undo'): ProjectState {
  const takes = direction === 'undo' ? takesAfterUndo(current, snapshot) : current.takes;
  // A take that comes back and was selected then is selected again.
  const cameBack = snapshot.activeTake !== null && !current.takes.some((t) => t.jobId === snapshot.activeTake);
  const restored: ProjectState = {
    ...snapshot,
    takes,
    activeTake: cameBack && takes !== current.takes ? snapshot.activeTake : current.activeTake,
    viewerMode: current.viewerMode,
    playhead: current.playhead,
    exportSettings: current.exportSettings,
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
    state: restoreEdits(current, next, 'redo'),
  };
}
