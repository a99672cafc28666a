// Save, save as, open, the demo project and autosave. Opening replaces the whole editor state
// through the reducer ('project.replace'), after asking about unsaved edits; the inputs are
// re-imported so the timeline can scrub them, and the takes' job folders are read back.
import type { ImportedMedia, StudioApi } from '../../shared/contract';
import { PROJECT_EXTENSION, type OpenedProject } from '../../shared/projectFile';
import type { Result } from '../../shared/result';
import { askPath, askUnsaved } from '../chrome/ask';
import { requestPath } from '../export/exportPlan';
import { t } from '../i18n/t';
import { loadTakes } from '../render/renderActions';
import { EMPTY_HISTORY } from '../state/history';
import { appStore, dispatch, historyStore, jobsStore, projectStore, sessionStore, uiStore } from '../state/stores';
import { addError, addNotice } from '../state/uiState';
import { hasUnsavedEdits, metaOf, stateFromProject, toProjectFile, type ProjectMeta } from './projectCodec';

const reportError = (title: string, error: { code: string; message: string }): void => uiStore.set((u) => addError(u, title, error.message, error.code));

export const isDirty = (): boolean => hasUnsavedEdits(sessionStore.get().saved, projectStore.get());

/** The project's id, name and creation time, made by project.new the first time they are needed. */
export async function ensureMeta(api: StudioApi): Promise<ProjectMeta | null> {
  const current = sessionStore.get().meta;
  if (current) return current;
  const created = await api.request('project.new', {});
  if (!created.ok) {
    reportError(t('project.saveFailed'), created.error);
    return null;
  }
  const meta = metaOf(created.value);
  sessionStore.set((s) => ({ ...s, meta }));
  return meta;
}

const projectFolder = (): string => `${appStore.get().dataDir.replace(/[\\/]+$/, '')}/projects`;

async function choosePath(api: StudioApi, name: string): Promise<string | null> {
  const defaultName = `${name}${PROJECT_EXTENSION}`;
  const dialog = await api.request('dialog.save', { kind: 'project', defaultName });
  if (dialog.ok) return dialog.value.path;
  if (dialog.error.code !== 'not_available') {
    reportError(t('project.saveFailed'), dialog.error);
    return null;
  }
  const typed = await askPath(t('project.saveAsTitle'), `${projectFolder()}/${defaultName}`, t('project.pathHint'));
  return typed && !typed.endsWith(PROJECT_EXTENSION) ? `${typed}${PROJECT_EXTENSION}` : typed;
}

/** Ctrl+S (and Ctrl+Shift+S with `as`). Resolves true when the project is on disk. */
export async function saveProject(api: StudioApi, as = false): Promise<boolean> {
  const meta = await ensureMeta(api);
  if (!meta) return false;
  const path = !as && sessionStore.get().path ? sessionStore.get().path : await choosePath(api, meta.name);
  if (!path) return false;
  const state = projectStore.get();
  const target = requestPath(path, appStore.get().dataDir, 'projects');
  const result = await api.request('project.save', { path: target, project: toProjectFile(state, meta) });
  if (!result.ok) {
    reportError(t('project.saveFailed'), result.error);
    return false;
  }
  sessionStore.set((s) => ({ ...s, path: result.value.path, saved: state }));
  uiStore.set((u) => addNotice(u, t('project.saved'), result.value.path));
  return true;
}

/** Before replacing the project: save, discard or stay. Resolves true to go ahead. */
export async function confirmLeave(api: StudioApi): Promise<boolean> {
  if (!isDirty()) return true;
  const reply = await askUnsaved();
  if (reply === 'save') return saveProject(api);
  const id = sessionStore.get().meta?.id;
  // Edits the person chose to drop are not offered back at the next start.
  if (reply === 'discard' && id) void api.request('project.discardAutosave', { id });
  return reply === 'discard';
}

async function importInputs(api: StudioApi, opened: OpenedProject): Promise<ImportedMedia[]> {
  const missing = new Set(opened.missing.map((m) => m.role));
  const media: ImportedMedia[] = [];
  for (const input of opened.project.inputs) {
    if (missing.has(input.role)) continue;
    const result = await api.request('media.import', { path: input.path, role: input.role });
    if (result.ok) media.push(result.value);
    else reportError(t('import.failed', { name: input.path }), result.error);
  }
  for (const m of opened.missing) uiStore.set((u) => addNotice(u, t('project.inputMissing', { role: m.role }), `${m.path} — ${m.reason}`));
  return media;
}

/** Put an opened project into the editor (no questions asked). */
export async function applyOpened(api: StudioApi, opened: OpenedProject, path: string | null): Promise<void> {
  const media = await importInputs(api, opened);
  const state = stateFromProject(opened.project, media);
  jobsStore.set({});
  dispatch({ type: 'project.replace', state });
  historyStore.set(EMPTY_HISTORY);
  sessionStore.set({ meta: metaOf(opened.project), path, saved: state });
  if (opened.fromBackup) uiStore.set((u) => addNotice(u, t('project.fromBackup'), opened.path));
  await loadTakes(api);
  // Reading the takes back settles their status; that is not an edit.
  sessionStore.set((s) => ({ ...s, saved: projectStore.get() }));
}

async function reportOpen(result: Result<OpenedProject>): Promise<OpenedProject | null> {
  if (result.ok) return result.value;
  reportError(t('project.openFailed'), result.error);
  return null;
}

export async function openProjectAt(api: StudioApi, path: string): Promise<void> {
  if (!(await confirmLeave(api))) return;
  const opened = await reportOpen(await api.request('project.open', { path }));
  if (opened) await applyOpened(api, opened, opened.path);
}

/** Ctrl+Shift+O: the native dialog, or a typed path in browser mode. */
export async function openProject(api: StudioApi): Promise<void> {
  const dialog = await api.request('dialog.open', { kind: 'project' });
  let path: string | null = null;
  if (dialog.ok) path = dialog.value.paths[0] ?? null;
  else if (dialog.error.code === 'not_available') {
    const recent = await api.request('project.recent', {});
    const suggestion = recent.ok ? (recent.value.find((r) => r.exists)?.path ?? '') : '';
    path = await askPath(t('project.openTitle'), suggestion || `${projectFolder()}/`, t('project.pathHint'));
  } else reportError(t('project.openFailed'), dialog.error);
  if (path) await openProjectAt(api, path);
}

/** A new, empty project (after the unsaved question). */
export async function newProject(api: StudioApi): Promise<void> {
  if (!(await confirmLeave(api))) return;
  const created = await api.request('project.new', {});
  if (!created.ok) return reportError(t('project.newFailed'), created.error);
  await applyOpened(api, { path: '', project: created.value, missing: [], fromBackup: false }, null);
}

/** The demo project. `onlyIfUntouched`: on first start, do not replace anything the person did meanwhile. */
export async function openDemo(api: StudioApi, onlyIfUntouched = false): Promise<void> {
  if (!onlyIfUntouched && !(await confirmLeave(api))) return;
  uiStore.set((u) => ({ ...u, demo: { phase: 'reference', fraction: 0 } }));
  const result = await api.request('project.demo', {});
  uiStore.set((u) => ({ ...u, demo: null }));
  if (!result.ok) return reportError(t('project.demoFailed'), result.error);
  const state = projectStore.get();
  if (onlyIfUntouched && (state.motion || state.reference || state.audio || state.takes.length > 0)) return;
  // The demo lives in the app's data folder; saving asks where to keep a copy.
  await applyOpened(api, result.value, null);
}
