// Transient editor state that is not part of the project: error banners, warnings, imports in
// flight and the help overlay. Pure updates, so they can be tested and reasoned about like the
// project reducer.
import type { MediaRole } from '../../shared/contract';

export interface UiMessage {
  id: number;
  /** What the person was doing, e.g. "Could not import notes.txt". */
  title: string;
  /** The error or warning text as the main side wrote it. */
  message: string;
  code?: string;
}

export interface ImportTask {
  id: number;
  fileName: string;
  role: MediaRole | null;
  /** Main-side path once known; media.progress events are matched on it. */
  path: string | null;
  decoded: number;
  total: number;
}

export interface UiState {
  nextId: number;
  errors: UiMessage[];
  notices: UiMessage[];
  imports: ImportTask[];
  helpOpen: boolean;
}

export const INITIAL_UI: UiState = { nextId: 1, errors: [], notices: [], imports: [], helpOpen: false };

/** Errors and notices beyond this many drop the oldest, so a flood cannot fill the window. */
const MAX_MESSAGES = 5;

export function addError(state: UiState, title: string, message: string, code?: string): UiState {
  const entry: UiMessage = { id: state.nextId, title, message, code };
  return { ...state, nextId: state.nextId + 1, errors: [...state.errors, entry].slice(-MAX_MESSAGES) };
}

export function addNotice(state: UiState, title: string, message: string): UiState {
  const entry: UiMessage = { id: state.nextId, title, message };
  return { ...state, nextId: state.nextId + 1, notices: [...state.notices, entry].slice(-MAX_MESSAGES) };
}

export function dismissMessage(state: UiState, id: number): UiState {
  return {
    ...state,
    errors: state.errors.filter((m) => m.id !== id),
    notices: state.notices.filter((m) => m.id !== id),
  };
}

export function dismissAllErrors(state: UiState): UiState {
  return state.errors.length === 0 ? state : { ...state, errors: [] };
}

/** Start tracking an import; returns the new state and the task's id. */
export function beginImport(state: UiState, fileName: string): [UiState, number] {
  const task: ImportTask = { id: state.nextId, fileName, role: null, path: null, decoded: 0, total: 0 };
  return [{ ...state, nextId: state.nextId + 1, imports: [...state.imports, task] }, task.id];
}

export function updateImport(state: UiState, id: number, patch: Partial<Omit<ImportTask, 'id'>>): UiState {
  return { ...state, imports: state.imports.map((t) => (t.id === id ? { ...t, ...patch } : t)) };
}

/** Apply a media.progress event to the import decoding that path (ignored when none is). */
export function importProgress(state: UiState, path: string, decoded: number, total: number): UiState {
  if (!state.imports.some((t) => t.path === path)) return state;
  return { ...state, imports: state.imports.map((t) => (t.path === path ? { ...t, decoded, total } : t)) };
}

export function endImport(state: UiState, id: number): UiState {
  return { ...state, imports: state.imports.filter((t) => t.id !== id) };
}

export function setHelpOpen(state: UiState, open: boolean): UiState {
  return state.helpOpen === open ? state : { ...state, helpOpen: open };
}
