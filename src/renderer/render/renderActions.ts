// Render, Cancel and Resume, and following render.* events into the jobs store and the takes.
// A render's events can arrive before render.start answers (the worker starts at once); the jobs
// reducer creates the job on its first event and jobFromSummary merges what was already seen.
import type { RenderJob, StudioApi, StudioEvent } from '../../shared/contract';
import { t } from '../i18n/t';
import { notifyFinished } from '../chrome/notify';
import { jobFromSummary, jobsReducer } from '../state/jobs';
import { activeTake } from '../state/projectState';
import { dispatch, jobsStore, projectStore, uiStore } from '../state/stores';
import { addError } from '../state/uiState';
import { paramsForRender, renderBlockers } from './renderReadiness';

/** True while any render job is queued or running (one render at a time: it uses every core). */
export function isRendering(): boolean {
  return Object.values(jobsStore.get()).some((job) => job.status === 'running' || job.status === 'queued');
}

function rememberJob(summary: RenderJob): void {
  jobsStore.set((jobs) => ({ ...jobs, [summary.jobId]: jobFromSummary(summary, jobs[summary.jobId]) }));
  // A done event that beat the reply has already settled the status.
  const seen = jobsStore.get()[summary.jobId];
  dispatch({ type: 'take.status', jobId: summary.jobId, status: seen.status });
}

function reportRenderError(title: string, error: { code: string; message: string }): void {
  uiStore.set((u) => addError(u, title, error.message, error.code));
}

export async function startRender(api: StudioApi): Promise<void> {
  const state = projectStore.get();
  if (!state.motion || !state.reference || renderBlockers(state, isRendering()).length > 0) return;
  const params = paramsForRender(state);
  const result = await api.request('render.start', { motionPath: state.motion.info.path, referencePath: state.reference.info.path, params });
  if (!result.ok) return reportRenderError(t('render.startFailed'), result.error);
  const name = t('render.takeName', { n: projectStore.get().takes.length + 1 });
  const inputs = { motionId: state.motion.id, referenceId: state.reference.id };
  const createdAt = new Date().toISOString();
  dispatch({ type: 'take.add', take: { jobId: result.value.jobId, name, params, createdAt, status: 'running', inputs } });
  rememberJob(result.value);
}

export async function cancelRender(api: StudioApi, jobId: string): Promise<void> {
  const result = await api.request('render.cancel', { jobId });
  if (!result.ok) reportRenderError(t('render.cancelFailed'), result.error);
}

export async function resumeRender(api: StudioApi, jobId: string): Promise<void> {
  if (isRendering()) return;
  const result = await api.request('render.resume', { jobId });
  if (!result.ok) return reportRenderError(t('render.resumeFailed'), result.error);
  jobsStore.set((jobs) => ({ ...jobs, [jobId]: { ...jobFromSummary(result.value, jobs[jobId]), error: null } }));
  dispatch({ type: 'take.status', jobId, status: result.value.status });
}

/** Ctrl+Enter: render, or nothing while one runs (the panel says why). */
export function renderCommand(api: StudioApi): void {
  void startRender(api);
}

/** Esc-free cancel for the active take (the panel's Cancel button). */
export function cancelActive(api: StudioApi): void {
  const take = activeTake(projectStore.get());
  if (take) void cancelRender(api, take.jobId);
}

/** Ask the main side what each take's job folder holds (after a project is opened). */
export async function loadTakes(api: StudioApi): Promise<void> {
  for (const take of projectStore.get().takes) {
    const result = await api.request('render.job', { jobId: take.jobId });
    if (!result.ok) {
      dispatch({ type: 'take.status', jobId: take.jobId, status: 'error' });
      continue;
    }
    // A job the app was rendering when it closed is stopped now; it can be resumed.
    const status = result.value.status === 'running' || result.value.status === 'queued' ? 'aborted' : result.value.status;
    jobsStore.set((jobs) => ({ ...jobs, [take.jobId]: { ...jobFromSummary({ ...result.value, status }, jobs[take.jobId]) } }));
    dispatch({ type: 'take.status', jobId: take.jobId, status });
  }
}

function onRenderDone(event: Extract<StudioEvent, { type: 'render.done' }>): void {
  dispatch({ type: 'take.status', jobId: event.jobId, status: event.status });
  const take = projectStore.get().takes.find((tk) => tk.jobId === event.jobId);
  const name = take?.name ?? event.jobId;
  if (event.status === 'success') notifyFinished(t('render.doneTitle', { name }), t('render.doneBody'));
  else if (event.status === 'aborted') notifyFinished(t('render.abortedTitle', { name }), t('render.abortedBody'));
  else reportRenderError(t('render.failedTitle', { name }), event.error ?? { code: 'internal', message: t('render.failedBody') });
}

/** Fold render.* events into the jobs store; returns the unsubscribe. */
export function followRenderEvents(api: StudioApi): () => void {
  return api.subscribe((event) => {
    if (!event.type.startsWith('render.')) return;
    jobsStore.set((jobs) => jobsReducer(jobs, event));
    if (event.type === 'render.done') onRenderDone(event);
  });
}
