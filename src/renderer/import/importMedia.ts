// The import flow: File or path → main-side path → role → media.import → project. Errors from the
// envelope become a dismissable banner and leave the project as it was; warnings become notices.
import type { MediaRole, StudioApi, StudioEvent } from '../../shared/contract';
import type { StudioError } from '../../shared/result';
import { t } from '../i18n/t';
import { dispatch, uiStore } from '../state/stores';
import { addError, addNotice, beginImport, endImport, importProgress, updateImport } from '../state/uiState';
import { baseName, kindOfFile, roleForDrop, roleForKind, type MediaKind } from './roleInference';

/** Something to import: a dropped/picked File, or a path from a native dialog. */
export interface ImportSource {
  name: string;
  kind: MediaKind | null;
  resolvePath(): Promise<string>;
}

export function sourceFromFile(api: StudioApi, file: File): ImportSource {
  return { name: file.name, kind: kindOfFile(file.name, file.type), resolvePath: () => api.transport.pathForFile(file) };
}

export function sourceFromPath(path: string): ImportSource {
  const name = baseName(path);
  return { name, kind: kindOfFile(name), resolvePath: async () => path };
}

function reportError(name: string, error: Pick<StudioError, 'code' | 'message'>): void {
  uiStore.set((s) => addError(s, t('import.failed', { name }), error.message, error.code));
}

/** The role for a source: the track's, the kind's, or (unknown kind) what media.probe says it is. */
async function resolveRole(api: StudioApi, source: ImportSource, path: string, track: MediaRole | null): Promise<MediaRole | StudioError> {
  const role = roleForDrop(source.kind, track);
  if (role) return role;
  const probed = await api.request('media.probe', { path });
  return probed.ok ? roleForKind(probed.value.kind) : probed.error;
}

/** Import one source; resolves to true when the project now holds it. Never throws. */
export async function importSource(api: StudioApi, source: ImportSource, track: MediaRole | null): Promise<boolean> {
  let taskId = 0;
  uiStore.set((s) => {
    const [next, id] = beginImport(s, source.name);
    taskId = id;
    return next;
  });
  try {
    const path = await source.resolvePath();
    const role = await resolveRole(api, source, path, track);
    if (typeof role !== 'string') {
      reportError(source.name, role);
      return false;
    }
    uiStore.set((s) => updateImport(s, taskId, { path, role }));
    const result = await api.request('media.import', { path, role });
    if (!result.ok) {
      reportError(source.name, result.error);
      return false;
    }
    dispatch({ type: 'media.set', media: result.value, name: source.name });
    for (const warning of result.value.warnings) {
      uiStore.set((s) => addNotice(s, t('import.warning', { name: source.name }), warning));
    }
    return true;
  } catch (error) {
    // A transport failure (upload refused, connection lost) rather than an error envelope.
    reportError(source.name, { code: 'internal', message: error instanceof Error ? error.message : String(error) });
    return false;
  } finally {
    uiStore.set((s) => endImport(s, taskId));
  }
}

/** Import several sources one after another (decoding is CPU-bound on the main side). */
export async function importSources(api: StudioApi, sources: ImportSource[], track: MediaRole | null = null): Promise<void> {
  for (const source of sources) await importSource(api, source, track);
}

export const importFiles = (api: StudioApi, files: File[], track: MediaRole | null = null): Promise<void> =>
  importSources(api, files.map((f) => sourceFromFile(api, f)), track);

/** Route media.progress events to the import decoding that path. Returns the unsubscribe. */
export function followImportProgress(api: StudioApi): () => void {
  return api.subscribe((event: StudioEvent) => {
    if (event.type === 'media.progress') uiStore.set((s) => importProgress(s, event.path, event.decoded, event.total));
  });
}

/**
 * Open button / Ctrl+O: the native dialog where there is one; where the main side answers
 * not_available (browser mode) the caller's file picker takes over.
 */
export async function openMedia(api: StudioApi, pickFiles: () => void): Promise<void> {
  const result = await api.request('dialog.open', { kind: 'media' });
  if (result.ok) return importSources(api, result.value.paths.map(sourceFromPath));
  if (result.error.code === 'not_available') return pickFiles();
  uiStore.set((s) => addError(s, t('import.pickerFailed'), result.error.message, result.error.code));
}
