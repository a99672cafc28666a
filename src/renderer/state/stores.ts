// The editor's stores, one per concern. Components read them through the hooks in hooks.ts and
// change the project only through dispatch(), so every project change passes the one reducer.
import type { Settings } from '../../shared/contract';
import { createStore } from './createStore';
import { EMPTY_PROJECT, projectReducer, type ProjectAction } from './projectState';
import { INITIAL_UI } from './uiState';

export const projectStore = createStore(EMPTY_PROJECT);

export function dispatch(action: ProjectAction): void {
  projectStore.set((state) => projectReducer(state, action));
}

export const uiStore = createStore(INITIAL_UI);

/** Timeline zoom factor (1 = BASE_PX_PER_FRAME pixels per frame). */
export const zoomStore = createStore(1);

export const playbackStore = createStore({ playing: false });

export type Language = Settings['language'];
export const languageStore = createStore<Language>('en');

/** What the status bar reports about the app: transport mode and the chosen provider. */
export const appStore = createStore({ mode: 'browser' as 'electron' | 'browser', provider: 'auto' as Settings['provider'] });
