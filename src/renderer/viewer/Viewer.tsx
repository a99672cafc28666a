import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useCurrentFrame, useFps, useMedia } from '../state/hooks';
import { formatTimecode } from '../timeline/timelineMath';
import { EmptyViewer } from './EmptyViewer';
import { neighbourFrames, useFramePreload } from './useFramePreload';

/** The frame under the playhead (the reference photo when there is no motion clip yet). */
export function Viewer() {
  const api = useApi();
  const t = useT();
  const frame = useCurrentFrame();
  const fps = useFps();
  const motion = useMedia('motion');
  const reference = useMedia('reference');
  const frameCount = motion?.info.frameCount ?? 0;
  useFramePreload(motion ? neighbourFrames(frame, frameCount).map((f) => api.transport.frameUrl({ media: motion.id }, f)) : []);

  const shown = motion ?? reference;
  const src = shown ? api.transport.frameUrl({ media: shown.id }, motion ? frame : 0) : null;
  return (
    <div className="viewer" data-testid="viewer" data-frame={frame}>
      {src ? (
        <div className="viewer-stage">
          <img className="viewer-image" data-testid="viewer-frame" src={src} alt="" draggable={false} />
        </div>
      ) : (
        <EmptyViewer />
      )}
      {motion && (
        <div className="viewer-overlay" data-testid="viewer-overlay">
          <span className="overlay-frame">{frame}</span>
          <span className="overlay-timecode">{formatTimecode(frame, fps)}</span>
        </div>
      )}
      {!motion && reference && <div className="viewer-caption">{t('viewer.referenceOnly')}</div>}
      {motion && reference && (
        <figure className="viewer-inset" title={t('viewer.reference')}>
          <img src={api.transport.frameUrl({ media: reference.id }, 0)} alt={t('viewer.reference')} draggable={false} />
          <figcaption>{t('viewer.reference')}</figcaption>
        </figure>
      )}
    </div>
  );
}
