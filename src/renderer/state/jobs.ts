// What the editor knows about each render job, folded from render.* events (pure, like the
// project reducer). Frames are kept per output frame as the best kind available: a final frame
// is never replaced by a preview, and a preview's step says which denoising step drew it (its
// image URL changes with it, so the viewer never shows a stale cached preview).
import type { EventOf, RenderJob, RenderProgress, StudioEvent } from '../../shared/contract';

export type FrameKind = 'none' | 'preview' | 'final';
export type JobStatus = RenderJob['status'];

export type JobProgress = RenderProgress;

export interface JobView {
  jobId: string;
  status: JobStatus;
  frameCount: number;
  /** Best kind per output frame. */
  frames: readonly FrameKind[];
  /** Per output frame, the step of its latest preview (0 when none). */
  previewSteps: readonly number[];
  progress: JobProgress | null;
  error: string | null;
  /** The execution provider the worker reported (e.g. "cpu"). */
  provider: string | null;
}

export type JobsState = Readonly<Record<string, JobView>>;

/** A job as render.start / render.resume / render.job describe it. */
export function jobFromSummary(summary: RenderJob, previous?: JobView): JobView {
  const frames: FrameKind[] = Array.from({ length: summary.frameCount }, (_, i) => previous?.frames[i] ?? 'none');
  for (const index of summary.finishedFrames) if (index < frames.length) frames[index] = 'final';
  return {
    jobId: summary.jobId,
    status: summary.status,
    frameCount: summary.frameCount,
    frames,
    previewSteps: Array.from({ length: summary.frameCount }, (_, i) => previous?.previewSteps[i] ?? 0),
    progress: summary.status === 'running' ? (previous?.progress ?? null) : null,
    error: previous?.error ?? null,
    provider: previous?.provider ?? null,
  };
}

function emptyJob(jobId: string): JobView {
  return { jobId, status: 'running', frameCount: 0, frames: [], previewSteps: [], progress: null, error: null, provider: null };
}

function withSegment(job: JobView, event: EventOf<'render.segment'>): JobView {
  const length = Math.max(job.frameCount, event.end);
  const frames = Array.from({ length }, (_, i) => job.frames[i] ?? 'none');
  const previewSteps = Array.from({ length }, (_, i) => job.previewSteps[i] ?? 0);
  for (let i = Math.max(0, event.start); i < event.end; i++) {
    if (event.kind === 'final') frames[i] = 'final';
    else if (frames[i] !== 'final') {
      frames[i] = 'preview';
      previewSteps[i] = event.step;
    }
  }
  return { ...job, frameCount: length, frames, previewSteps };
}

/** The provider named by the worker's "Model … on <provider>." log line. */
export function providerFromLog(message: string): string | null {
  return /\bon ([a-z0-9_-]+)\.?$/i.exec(message.trim())?.[1] ?? null;
}

export function jobsReducer(state: JobsState, event: StudioEvent): JobsState {
  if (!event.type.startsWith('render.') || !('jobId' in event)) return state;
  const job = state[event.jobId] ?? emptyJob(event.jobId);
  let next: JobView;
  switch (event.type) {
    case 'render.progress': {
      const { type: _type, jobId: _jobId, ...progress } = event;
      next = { ...job, status: 'running', progress };
      break;
    }
    case 'render.segment':
      next = withSegment(job, event);
      break;
    case 'render.log':
      next = event.message.startsWith('Model ') ? { ...job, provider: providerFromLog(event.message) ?? job.provider } : job;
      break;
    case 'render.done':
      next = { ...job, status: event.status, progress: null, error: event.error?.message ?? null };
      break;
    default:
      return state;
  }
  return next === job && state[event.jobId] ? state : { ...state, [event.jobId]: next };
}

/** Contiguous runs of one kind, for drawing the output track: [start, end) in output frames. */
export function frameRuns(frames: readonly FrameKind[]): { start: number; end: number; kind: FrameKind }[] {
  const runs: { start: number; end: number; kind: FrameKind }[] = [];
  frames.forEach((kind, i) => {
    const last = runs.at(-1);
    if (last && last.kind === kind && last.end === i) last.end = i + 1;
    else runs.push({ start: i, end: i + 1, kind });
  });
  return runs.filter((r) => r.kind !== 'none');
}

/** Counts of final frames, for the take list. */
export function finalCount(job: JobView): number {
  return job.frames.reduce((n, kind) => n + (kind === 'final' ? 1 : 0), 0);
}
