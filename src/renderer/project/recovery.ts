// At start, unsaved work a previous session left in the autosave folder (a crash, a window closed
// without saving) is offered back, newest first: restore it (it opens as an unsaved project that
// saves back to its own file), discard it, or keep it for the next start.
import type { StudioApi } from '../../shared/contract';
import type { RecoverableProject } from '../../shared/projectFile';
import { askRecover } from '../chrome/ask';
import { t } from '../i18n/t';
import { languageStore, sessionStore, uiStore } from '../state/stores';
import { addError, addNotice } from '../state/uiState';
import { applyOpened } from './projectActions';

function describe(item: RecoverableProject): string {
  const time = new Intl.DateTimeFormat(languageStore.get(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(item.autosavedAt));
  return item.origin ? t('recover.body', { name: item.name, time, where: item.origin }) : t('recover.bodyNeverSaved', { name: item.name, time });
}

async function restore(api: StudioApi, item: RecoverableProject): Promise<boolean> {
  const opened = await api.request('project.recover', { id: item.id });
  if (!opened.ok) {
    uiStore.set((u) => addError(u, t('recover.failed'), opened.error.message, opened.error.code));
    return false;
  }
  await applyOpened(api, opened.value, opened.value.path || null);
  // What was restored is not on disk in its project file yet: mark every saved part as changed.
  sessionStore.set((s) => ({ ...s, saved: { ...s.saved, render: { ...s.saved.render }, takes: [...s.saved.takes] } }));
  uiStore.set((u) => addNotice(u, t('recover.restored'), opened.value.path || item.name));
  return true;
}

/** Asks about each autosave until one is restored or the person says "not now". True if restored. */
export async function offerRecovery(api: StudioApi): Promise<boolean> {
  const found = await api.request('project.recoverable', {});
  if (!found.ok) return false;
  for (const item of found.value) {
    const reply = await askRecover(describe(item));
    if (reply === 'later') return false;
    if (reply === 'restore') return restore(api, item);
    await api.request('project.discardAutosave', { id: item.id });
  }
  return false;
}
