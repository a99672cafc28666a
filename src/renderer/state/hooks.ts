// One hook per fact (STYLE.md §12). Each selects a stored value or a primitive, so a component
// re-renders only when its own fact changes (the playhead moving does not redraw the track list).
import { useMemo } from 'react';
import type { ImportedMedia, MediaRole } from '../../shared/contract';
import type { ProjectExportSettings, ProjectTake, ViewerMode } from '../../shared/projectFile';
import type { RenderParams } from '../../shared/renderParams';
import { hasUnsavedEdits } from '../project/projectCodec';
import type { JobView } from './jobs';
import { EMPTY_PROJECT, audioSource, mediaName, timelineFps, timelineLength, type InOutRange, type ProjectState } from './projectState';
import { appStore, historyStore, jobsStore, languageStore, playbackStore, projectStore, sessionStore, uiStore, zoomStore, type Language, type ProjectSession } from './stores';
import type { ExportTask, ImportTask, UiMessage, UiState } from './uiState';
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

export const useRenderParams = (): RenderParams => useStore(projectStore, (s) => s.render);
export const useTakes = (): readonly ProjectTake[] => useStore(projectStore, (s) => s.takes);
export const useActiveTakeId = (): string | null => useStore(projectStore, (s) => s.activeTake);
export const useExportSettings = (): ProjectExportSettings => useStore(projectStore, (s) => s.exportSettings);
export const useViewerMode = (): ViewerMode => useStore(projectStore, (s) => s.viewerMode);
/** One render job as the events describe it (undefined before its first event or summary). */
export const useJob = (jobId: string | null): JobView | undefined => useStore(jobsStore, (j) => (jobId ? j[jobId] : undefined));
export const useRendering = (): boolean => useStore(jobsStore, (j) => Object.values(j).some((job) => job.status === 'running' || job.status === 'queued'));
/** The provider a render reported: the running job's, else the last one that said. */
export const useRunningProvider = (): string | null =>
  useStore(jobsStore, (j) => {
    const jobs = Object.values(j).filter((job) => job.provider !== null);
    return (jobs.find((job) => job.status === 'running') ?? jobs.at(-1))?.provider ?? null;
  });

export const useSession = (): ProjectSession => useStore(sessionStore, (s) => s);
/** True when the project has edits that are not in its file. */
export function useDirty(): boolean {
  const saved = useStore(sessionStore, (s) => s.saved);
  const current = useProject();
  return hasUnsavedEdits(saved, current);
}
export const useCanUndo = (): boolean => useStore(historyStore, (h) => h.past.length > 0);
export const useCanRedo = (): boolean => useStore(historyStore, (h) => h.future.length > 0);

export const useUi = <S>(select: (u: UiState) => S): S => useStore(uiStore, select);
export const useExports = (): ExportTask[] => useStore(uiStore, (u) => u.exports);
export const useAppDataDir = (): string => useStore(appStore, (a) => a.dataDir);

/**
 * The project without its playhead (which is what moves 25 times a second during playback):
 * for components that derive facts from inputs, settings and marks only.
 */
export function useEditState(): ProjectState {
  const motion = useMedia('motion');
  const reference = useMedia('reference');
  const audio = useMedia('audio');
  const range = useRange();
  const render = useRenderParams();
  return useMemo(() => ({ ...EMPTY_PROJECT, motion, reference, audio, range, render }), [motion, reference, audio, range, render]);
}
