// Starting, cancelling and following exports; when one finishes, a notification offers
// "Show in folder".
import type { StudioApi } from '../../shared/contract';
import { notifyFinished } from '../chrome/notify';
import { t } from '../i18n/t';
import { uiStore } from '../state/stores';
import { addError, exportEnded, exportProgress, exportStarted, setExportOpen } from '../state/uiState';
import type { ExportRequest } from './exportPlan';

export async function startExport(api: StudioApi, request: ExportRequest): Promise<boolean> {
  const result = await api.request('export.start', request);
  if (!result.ok) {
    uiStore.set((u) => addError(u, t('export.failedTitle'), result.error.message, result.error.code));
    return false;
  }
  const total = request.range.end - request.range.start;
  uiStore.set((u) => exportStarted(u, { exportId: result.value.exportId, outPath: request.outPath, frame: 0, total, etaSec: null }));
  return true;
}

export async function cancelExport(api: StudioApi, exportId: string): Promise<void> {
  const result = await api.request('export.cancel', { exportId });
  if (!result.ok) uiStore.set((u) => addError(u, t('export.cancelFailed'), result.error.message, result.error.code));
}

export async function showInFolder(api: StudioApi, path: string): Promise<void> {
  const result = await api.request('shell.showItem', { path });
  if (!result.ok) uiStore.set((u) => addError(u, t('export.showFailed'), result.error.message, result.error.code));
}

export const openExportDialog = (): void => uiStore.set((u) => setExportOpen(u, true));

/** export.* events → progress in the dialog and status bar, then a notification. */
export function followExportEvents(api: StudioApi): () => void {
  return api.subscribe((event) => {
    if (event.type === 'export.progress') {
      uiStore.set((u) => exportProgress(u, event.exportId, event.frame, event.total, event.etaSec));
    } else if (event.type === 'export.done') {
      const task = uiStore.get().exports.find((e) => e.exportId === event.exportId);
      uiStore.set((u) => exportEnded(u, event.exportId));
      const path = event.path ?? task?.outPath ?? '';
      if (event.status === 'success') notifyFinished(t('export.doneTitle'), path, path);
      else if (event.status === 'aborted') notifyFinished(t('export.abortedTitle'), path);
      else uiStore.set((u) => addError(u, t('export.failedTitle'), event.error?.message ?? '', event.error?.code));
    }
  });
}
