// The frame under the playhead in the chosen mode: the selected take's output (best frame
// available), the DensePose clip, the reference photo, all three side by side, or DensePose
// drawn over the output.
import { useState } from 'react';
import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useActiveTakeId, useCurrentFrame, useFps, useJob, useMedia, useProject, useTakes, useViewerMode } from '../state/hooks';
import { changedInputs, takeMediaIds } from '../state/takeInputs';
import { formatTimecode } from '../timeline/timelineMath';
import { EmptyViewer } from './EmptyViewer';
import { bestOutputFrame, type OutputFrame } from './outputFrames';
import { neighbourFrames, useFramePreload } from './useFramePreload';
import { ViewerModeBar } from './ViewerModeBar';

function useOutputFrame(frame: number): { output: OutputFrame | null; hasTake: boolean } {
  const api = useApi();
  const takes = useTakes();
  const activeId = useActiveTakeId();
  const take = takes.find((tk) => tk.jobId === activeId);
  const job = useJob(take?.jobId ?? null);
  const offset = take?.params.range?.start ?? 0;
  const frameCount = (job?.frameCount ?? 0) + offset;
  useFramePreload(job ? neighbourFrames(frame, frameCount).flatMap((f) => bestOutputFrame(api.transport, job, f, offset)?.url ?? []) : []);
  return { output: bestOutputFrame(api.transport, job, frame, offset), hasTake: Boolean(take) };
}

function Pane({ label, src, testId, kind, children }: { label: string; src: string | null; testId: string; kind?: string; children?: React.ReactNode }) {
  const t = useT();
  return (
    <figure className="viewer-pane" data-testid={testId} data-kind={kind ?? ''}>
      {src ? <img src={src} alt="" draggable={false} /> : <div className="pane-missing">{t('viewer.notRendered')}</div>}
      {children}
      <figcaption>{label}</figcaption>
    </figure>
  );
}

export function Viewer() {
  const api = useApi();
  const t = useT();
  const frame = useCurrentFrame();
  const fps = useFps();
  const motion = useMedia('motion');
  const reference = useMedia('reference');
  const mode = useViewerMode();
  const [opacity, setOpacity] = useState(0.5);
  const frameCount = motion?.info.frameCount ?? 0;
  useFramePreload(motion ? neighbourFrames(frame, frameCount).map((f) => api.transport.frameUrl({ media: motion.id }, f)) : []);
  const { output, hasTake } = useOutputFrame(frame);
  // Beside a take (side by side, overlay, the inset) the inputs are the take's own, so an old
  // output is never shown next to a clip or photo it was not rendered from.
  const project = useProject();
  const take = project.takes.find((tk) => tk.jobId === project.activeTake) ?? null;
  const own = takeMediaIds(project, take);
  const outdated = take ? changedInputs(project, take).length > 0 : false;
  const motionSrc = motion ? api.transport.frameUrl({ media: motion.id }, frame) : null;
  const referenceSrc = reference ? api.transport.frameUrl({ media: reference.id }, 0) : null;
  const takeMotionSrc = own.motionId ? api.transport.frameUrl({ media: own.motionId }, frame) : null;
  const takeReferenceSrc = own.referenceId ? api.transport.frameUrl({ media: own.referenceId }, 0) : null;
  if (!motionSrc && !referenceSrc) {
    return (
      <div className="viewer" data-testid="viewer" data-frame={frame}>
        <EmptyViewer />
      </div>
    );
  }

  // Output mode before any render shows the DensePose frame, so a fresh import can be scrubbed.
  const single =
    mode === 'motion' || (mode === 'output' && !hasTake) ? { src: motionSrc ?? referenceSrc, kind: 'motion' }
    : mode === 'reference' ? { src: referenceSrc, kind: 'reference' }
    : mode === 'output' ? { src: output?.url ?? null, kind: output?.kind ?? 'none' }
    : null;
  const sideBySide = mode === 'sideBySide' || mode === 'grid';
  return (
    <div className="viewer" data-testid="viewer" data-frame={frame} data-mode={mode}>
      <ViewerModeBar opacity={opacity} onOpacity={setOpacity} />
      {single && (
        <div className={`viewer-stage${single.kind === 'preview' ? ' is-preview' : ''}`} data-kind={single.kind}>
          {single.src ? <img className="viewer-image" data-testid="viewer-frame" src={single.src} alt="" draggable={false} /> : <div className="pane-missing">{t('viewer.notRendered')}</div>}
        </div>
      )}
      {sideBySide && (
        <div className="viewer-grid" data-testid="viewer-side-by-side">
          <Pane label={t('viewer.reference')} src={takeReferenceSrc} testId="viewer-pane-reference" />
          <Pane label={t('viewerMode.motion')} src={takeMotionSrc} testId="viewer-pane-motion" />
          <Pane label={t('viewerMode.output')} src={output?.url ?? null} testId="viewer-pane-output" kind={output?.kind} />
        </div>
      )}
      {mode === 'overlay' && (
        <div className="viewer-stage viewer-overlay-stage" data-testid="viewer-overlay-stage">
          {output ? <img className="viewer-image" data-testid="viewer-frame" src={output.url} alt="" draggable={false} /> : <div className="pane-missing">{t('viewer.notRendered')}</div>}
          {takeMotionSrc && <img className="viewer-image overlay-top" src={takeMotionSrc} alt="" draggable={false} style={{ opacity }} />}
        </div>
      )}
      {motion && (
        <div className="viewer-overlay" data-testid="viewer-overlay">
          {output?.kind === 'preview' && (mode === 'output' || mode === 'overlay') && <span className="overlay-badge">{t('viewer.preview')}</span>}
          <span className="overlay-frame">{frame}</span>
          <span className="overlay-timecode">{formatTimecode(frame, fps)}</span>
        </div>
      )}
      {outdated && take && (mode === 'sideBySide' || mode === 'grid' || mode === 'overlay' || mode === 'output') && (
        <div className="viewer-own-inputs" data-testid="viewer-own-inputs">
          {t('viewer.ownInputs', { name: take.name })}
        </div>
      )}
      {!motion && reference && <div className="viewer-caption">{t('viewer.referenceOnly')}</div>}
      {motion && reference && single && mode !== 'reference' && (
        <figure className="viewer-inset" title={t('viewer.reference')}>
          <img src={(mode === 'output' && hasTake ? takeReferenceSrc : referenceSrc) ?? ''} alt={t('viewer.reference')} draggable={false} />
          <figcaption>{t('viewer.reference')}</figcaption>
        </figure>
      )}
    </div>
  );
}
