// Opening the Model manager, importing, cancelling and removing models, and following the
// models.* events into its store.
import type { ModelInfo, StudioApi } from '../../shared/contract';
import { askConfirm } from '../chrome/ask';
import { t } from '../i18n/t';
import { createStore } from '../state/createStore';
import { importDone, importProgress, importRefused, importRequest, importStarted, importStarting, INITIAL_MANAGER, modelRemoved, type ImportForm } from './modelManagerState';

export const modelManagerStore = createStore(INITIAL_MANAGER);

export const openModelManager = (): void => modelManagerStore.set((s) => (s.open ? s : { ...s, open: true }));
export const closeModelManager = (): void => modelManagerStore.set((s) => (s.open ? { ...s, open: false } : s));

export function setImportForm(patch: Partial<ImportForm>): void {
  modelManagerStore.set((s) => ({ ...s, form: { ...s.form, ...patch } }));
}

export async function startModelImport(api: StudioApi): Promise<void> {
  const request = importRequest(modelManagerStore.get().form);
  modelManagerStore.set(importStarting);
  const result = await api.request('models.import', request);
  if (result.ok) modelManagerStore.set((s) => importStarted(s, result.value.importId, request.name));
  else modelManagerStore.set((s) => importRefused(s, result.error.message, result.error.code));
}

export async function cancelModelImport(api: StudioApi): Promise<void> {
  const task = modelManagerStore.get().task;
  if (task) await api.request('models.cancelImport', { importId: task.importId });
}

/** Asks first; the demo model may go too (the app rebuilds it the next time it lists models). */
export async function removeModel(api: StudioApi, model: ModelInfo): Promise<void> {
  const body = t(model.id === 'demo' ? 'models.removeDemoBody' : 'models.removeBody', { name: model.name, dir: model.dir });
  if (!(await askConfirm(t('models.removeTitle', { name: model.name }), body, t('models.remove')))) return;
  const result = await api.request('models.remove', { id: model.id });
  if (result.ok) modelManagerStore.set(modelRemoved);
  else modelManagerStore.set((s) => ({ ...s, outcome: { kind: 'error', title: 'remove', message: result.error.message, code: result.error.code } }));
}

/** Browser mode answers not_available: the path fields are the way to choose there. */
export async function chooseFolder(api: StudioApi): Promise<string | null> {
  const result = await api.request('dialog.open', { kind: 'modelFolder' });
  return result.ok ? (result.value.paths[0] ?? null) : null;
}

export function followModelEvents(api: StudioApi): () => void {
  return api.subscribe((event) => {
    if (event.type === 'models.progress') modelManagerStore.set((s) => importProgress(s, event));
    else if (event.type === 'models.done') modelManagerStore.set((s) => importDone(s, event));
  });
}
