// One hook per fact (STYLE.md §12). Each selects a stored value or a primitive, so a component
// re-renders only when its own fact changes (the playhead moving does not redraw the track list).
import type { ImportedMedia, MediaRole } from '../../shared/contract';
import { audioSource, mediaName, timelineFps, timelineLength, type InOutRange, type ProjectState } from './projectState';
import { appStore, languageStore, playbackStore, projectStore, uiStore, zoomStore, type Language } from './stores';
import type { ImportTask, UiMessage } from './uiState';
import { useStore } from './useStore';

export const useProject = (): ProjectState => useStore(projectStore, (s) => s);
export const useCurrentFrame = (): number => useStore(projectStore, (s) => s.playhead);
export const useMedia = (role: MediaRole): ImportedMedia | null => useStore(projectStore, (s) => s[role]);
export const useAudioSource = (): ImportedMedia | null => useStore(projectStore, audioSource);
/** The display name of a media item ('' for none). */
export const useMediaName = (media: ImportedMedia | null): string =>
  useStore(projectStore, (s) => (media ? mediaName(s, media) : ''));
export const useRange = (): InOutRange => useStore(projectStore, (s) => s.range);
export const useTimelineLength = (): number => useStore(projectStore, timelineLength);
export const useFps = (): number => useStore(projectStore, timelineFps);

export const useZoom = (): number => useStore(zoomStore, (z) => z);
export const usePlaying = (): boolean => useStore(playbackStore, (p) => p.playing);
export const useLanguage = (): Language => useStore(languageStore, (l) => l);
export const useAppMode = (): 'electron' | 'browser' => useStore(appStore, (a) => a.mode);
export const useProvider = (): string => useStore(appStore, (a) => a.provider);

export const useErrors = (): UiMessage[] => useStore(uiStore, (u) => u.errors);
export const useNotices = (): UiMessage[] => useStore(uiStore, (u) => u.notices);
export const useImports = (): ImportTask[] => useStore(uiStore, (u) => u.imports);
export const useHelpOpen = (): boolean => useStore(uiStore, (u) => u.helpOpen);
