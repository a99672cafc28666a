// The project's background duties while the editor is open: autosave (debounced, only when there
// are unsaved edits), the browser's "leave site?" question when closing with unsaved edits,
// demo.progress into the status line, and at start the unsaved work of an earlier session (offered
// back) or, on first start, the demo project.
import type { StudioApi } from '../../shared/contract';
import { projectStore, sessionStore, uiStore } from '../state/stores';
import { toProjectFile } from './projectCodec';
import { ensureMeta, isDirty, openDemo } from './projectActions';
import { offerRecovery } from './recovery';

export const AUTOSAVE_DELAY_MS = 3000;

function startAutosave(api: StudioApi): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastSaved: unknown = null;
  const save = async (): Promise<void> => {
    const state = projectStore.get();
    if (!isDirty() || lastSaved === state) return;
    const meta = sessionStore.get().meta ?? (await ensureMeta(api));
    if (!meta) return;
    lastSaved = state;
    const origin = sessionStore.get().path;
    void api.request('project.autosave', { project: toProjectFile(state, meta), origin }).then((result) => {
      if (!result.ok) console.warn(`autosave failed: ${result.error.message}`);
    });
  };
  const unsubscribe = projectStore.subscribe(() => {
    clearTimeout(timer);
    timer = setTimeout(() => void save(), AUTOSAVE_DELAY_MS);
  });
  return () => {
    clearTimeout(timer);
    unsubscribe();
  };
}

function guardUnload(): () => void {
  const onBeforeUnload = (event: BeforeUnloadEvent): void => {
    if (!isDirty()) return;
    event.preventDefault();
    // NOTE: older Chromium (and Electron before 30) still need returnValue set to ask.
    event.returnValue = '';
  };
  window.addEventListener('beforeunload', onBeforeUnload);
  return () => window.removeEventListener('beforeunload', onBeforeUnload);
}

function followDemoProgress(api: StudioApi): () => void {
  return api.subscribe((event) => {
    if (event.type === 'demo.progress') uiStore.set((u) => (u.demo ? { ...u, demo: { phase: event.phase, fraction: event.fraction } } : u));
  });
}

/** Unsaved work first; then, on first start (no recent project), the demo, unless the person has started something. */
async function atStart(api: StudioApi): Promise<void> {
  if (await offerRecovery(api)) return;
  const recent = await api.request('project.recent', {});
  if (!recent.ok || recent.value.length > 0) return;
  const state = projectStore.get();
  if (state.motion || state.reference || state.audio) return;
  await openDemo(api, true);
}

export function startProjectSession(api: StudioApi): () => void {
  const stops = [startAutosave(api), guardUnload(), followDemoProgress(api)];
  void atStart(api);
  return () => stops.forEach((stop) => stop());
}
