// Which image shows a take's frame under the playhead: the final frame when it exists, else the
// latest preview (its URL carries the preview's step, since the worker rewrites the same file
// at each step and a cached older preview must not be shown), else nothing. Pure.
import type { StudioTransport } from '../../shared/contract';
import type { JobView } from '../state/jobs';

export interface OutputFrame {
  url: string;
  kind: 'final' | 'preview';
}

/** Append a cache-busting version to a frame URL (whatever query it already has). */
export function withVersion(url: string, version: number): string {
  return `${url}${url.includes('?') ? '&' : '?'}v=${version}`;
}

/** The best frame of `job` at timeline frame `frame`, for a take whose output starts at `offset`. */
export function bestOutputFrame(transport: Pick<StudioTransport, 'frameUrl'>, job: JobView | undefined, frame: number, offset: number): OutputFrame | null {
  if (!job) return null;
  const index = frame - offset;
  const kind = job.frames[index];
  if (kind === 'final') return { url: transport.frameUrl({ job: job.jobId, kind: 'final' }, index), kind };
  if (kind === 'preview') return { url: withVersion(transport.frameUrl({ job: job.jobId, kind: 'preview' }, index), job.previewSteps[index] ?? 0), kind };
  return null;
}
