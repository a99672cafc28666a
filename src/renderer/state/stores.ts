// The editor's stores, one per concern. Components read them through the hooks in hooks.ts and
// change the project only through dispatch(), so every project change passes the one reducer (and
// every edit lands in the undo history).
import type { Settings } from '../../shared/contract';
import type { ProjectMeta } from '../project/projectCodec';
import { createStore } from './createStore';
import { EMPTY_HISTORY, recordEdit, redo, undo } from './history';
import type { JobsState } from './jobs';
import { EMPTY_PROJECT, projectReducer, type ProjectAction, type ProjectState } from './projectState';
import { INITIAL_UI } from './uiState';

export const projectStore = createStore(EMPTY_PROJECT);
export const historyStore = createStore(EMPTY_HISTORY);

export function dispatch(action: ProjectAction): void {
  const before = projectStore.get();
  const after = projectReducer(before, action);
  if (after === before) return;
  historyStore.set((h) => recordEdit(h, before, action, Date.now()));
  projectStore.set(after);
}

export function undoEdit(): boolean {
  const step = undo(historyStore.get(), projectStore.get());
  if (!step) return false;
  historyStore.set(step.history);
  projectStore.set(step.state);
  return true;
}

export function redoEdit(): boolean {
  const step = redo(historyStore.get(), projectStore.get());
  if (!step) return false;
  historyStore.set(step.history);
  projectStore.set(step.state);
  return true;
}

/** Which project file the editor holds, and the state as last saved (for the unsaved prompt). */
export interface ProjectSession {
  meta: ProjectMeta | null;
  /** Where saving writes; null until saved once (or for the demo project). */
  path: string | null;
  saved: ProjectState;
}
export const sessionStore = createStore<ProjectSession>({ meta: null, path: null, saved: EMPTY_PROJECT });

/** Render jobs by id, folded from render.* events. */
export const jobsStore = createStore<JobsState>({});

export const uiStore = createStore(INITIAL_UI);

/** Timeline zoom factor (1 = BASE_PX_PER_FRAME pixels per frame). */
export const zoomStore = createStore(1);

export const playbackStore = createStore({ playing: false });

export type Language = Settings['language'];
export const languageStore = createStore<Language>('en');

/** What the status bar reports about the app: transport mode and the chosen provider. */
export const appStore = createStore({ mode: 'browser' as 'electron' | 'browser', provider: 'auto' as Settings['provider'], dataDir: '' });
