// Preferences the editor keeps between sessions (language, timeline zoom) live in the main side's
// settings. Load them once at start, then write changes back, debounced so a zoom drag is one write.
import type { StudioApi } from '../../shared/contract';
import { clampZoom } from '../timeline/timelineMath';
import { appStore, languageStore, zoomStore } from './stores';

const SAVE_DELAY_MS = 500;

export async function loadSettings(api: StudioApi): Promise<void> {
  appStore.set((a) => ({ ...a, mode: api.transport.kind }));
  void api.request('app.info', {}).then((info) => {
    if (info.ok) appStore.set((a) => ({ ...a, dataDir: info.value.dataDir }));
  });
  const result = await api.request('settings.get', {});
  if (!result.ok) {
    // Defaults are fine; a failed preference read should not stop the editor.
    console.warn(`settings.get failed: ${result.error.message}`);
    return;
  }
  languageStore.set(result.value.language);
  zoomStore.set(clampZoom(result.value.timelineZoom));
  appStore.set((a) => ({ ...a, provider: result.value.provider }));
}

/** Start writing language and zoom changes back; returns the function that stops it. */
export function persistSettings(api: StudioApi): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      void api.request('settings.set', { language: languageStore.get(), timelineZoom: zoomStore.get() }).then((result) => {
        if (!result.ok) console.warn(`settings.set failed: ${result.error.message}`);
      });
    }, SAVE_DELAY_MS);
  };
  const unsubscribers = [languageStore.subscribe(save), zoomStore.subscribe(save)];
  return () => {
    clearTimeout(timer);
    unsubscribers.forEach((unsubscribe) => unsubscribe());
  };
}
