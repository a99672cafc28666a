// The output track: the selected take's frames as they stream in (hatched previews, solid finals),
// its progress, and above them the context windows the current settings would use.
import { useT } from '../i18n/useT';
import { frameRuns } from '../state/jobs';
import { useActiveTakeId, useJob, useTakes } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { TrackLane } from './TrackLane';
import type { TrackDef } from './tracks';
import { useScrub } from './useScrub';
import { WindowsOverlay } from './WindowsOverlay';

function TakeSegments({ jobId, offset }: { jobId: string; offset: number }) {
  const job = useJob(jobId);
  const { toPx, pxPerFrame } = useTimeline();
  if (!job) return null;
  const running = job.status === 'running' || job.status === 'queued';
  return (
    <>
      {frameRuns(job.frames).map((run) => (
        <div
          key={`${run.kind}-${run.start}`}
          className={`output-segment seg-${run.kind}`}
          data-testid="output-segment"
          data-kind={run.kind}
          data-start={run.start + offset}
          data-end={run.end + offset}
          style={{ left: toPx(run.start + offset), width: (run.end - run.start) * pxPerFrame }}
        />
      ))}
      {running && job.progress && (
        <div className="output-progress" style={{ left: toPx(offset), width: job.frameCount * pxPerFrame }}>
          <span style={{ width: `${job.progress.fraction * 100}%` }} />
        </div>
      )}
    </>
  );
}

export function OutputLane({ track }: { track: TrackDef }) {
  const t = useT();
  const takes = useTakes();
  const activeId = useActiveTakeId();
  const take = takes.find((tk) => tk.jobId === activeId) ?? null;
  const { frameCount } = useTimeline();
  const scrub = useScrub();
  const offset = take?.params.range?.start ?? 0;
  return (
    <TrackLane track={track} empty={frameCount <= 1 && !take} data-active-take={activeId ?? ''}>
      <WindowsOverlay />
      <div className="output-frames" onPointerDown={scrub}>
        {take ? <TakeSegments jobId={take.jobId} offset={offset} /> : <span className="lane-hint">{t('track.outputHint')}</span>}
        {take && <span className="clip-label output-label">{take.name}</span>}
      </div>
    </TrackLane>
  );
}
