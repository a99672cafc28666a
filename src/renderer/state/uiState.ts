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
  /** A finished file the message can reveal in the file manager ("Show in folder"). */
  reveal?: string;
}

/** An export in flight (export.progress events fill it in). */
export interface ExportTask {
  exportId: string;
  outPath: string;
  frame: number;
  total: number;
  etaSec: number | null;
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
  exportOpen: boolean;
  /** The demo project being prepared (project.demo emits demo.progress), else null. */
  demo: { phase: 'reference' | 'motion' | 'model'; fraction: number } | null;
  exports: ExportTask[];
  /** A question the editor is waiting on (answered through chrome/ask.ts). */
  ask: Question | null;
}

/**
 * 'unsaved': save, discard or cancel; 'path': a file path typed where there is no native dialog;
 * 'confirm': yes or no to something that cannot be undone (removing a model); 'recover': restore,
 * discard or keep for later the unsaved work an earlier session left.
 */
export type Question =
  | { kind: 'unsaved' }
  | { kind: 'path'; title: string; value: string; hint: string }
  | { kind: 'confirm'; title: string; body: string; confirm: string }
  | { kind: 'recover'; body: string };

export const INITIAL_UI: UiState = {
  nextId: 1,
  errors: [],
  notices: [],
  imports: [],
  helpOpen: false,
  exportOpen: false,
  demo: null,
  exports: [],
  ask: null,
};

/** Errors and notices beyond this many drop the oldest, so a flood cannot fill the window. */
const MAX_MESSAGES = 5;

export function addError(state: UiState, title: string, message: string, code?: string): UiState {
  const entry: UiMessage = { id: state.nextId, title, message, code };
  return { ...state, nextId: state.nextId + 1, errors: [...state.errors, entry].slice(-MAX_MESSAGES) };
}

export function addNotice(state: UiState, title: string, message: string, reveal?: string): UiState {
  const entry: UiMessage = reveal ? { id: state.nextId, title, message, reveal } : { id: state.nextId, title, message };
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

export function setExportOpen(state: UiState, open: boolean): UiState {
  return state.exportOpen === open ? state : { ...state, exportOpen: open };
}

export function exportStarted(state: UiState, task: ExportTask): UiState {
  return { ...state, exports: [...state.exports.filter((e) => e.exportId !== task.exportId), task] };
}

export function exportProgress(state: UiState, exportId: string, frame: number, total: number, etaSec: number | null): UiState {
  if (!state.exports.some((e) => e.exportId === exportId)) return state;
  return { ...state, exports: state.exports.map((e) => (e.exportId === exportId ? { ...e, frame, total, etaSec } : e)) };
}

export function exportEnded(state: UiState, exportId: string): UiState {
  return { ...state, exports: state.exports.filter((e) => e.exportId !== exportId) };
}
