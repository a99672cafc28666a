import { useT } from '../i18n/useT';
import { useCurrentFrame, useFps, useMedia, useProvider, useTimelineLength } from '../state/hooks';
import { formatTimecode } from '../timeline/timelineMath';

/** fps, frame, timecode and the execution provider (chosen in the render panel later). */
export function StatusBar() {
  const t = useT();
  const frame = useCurrentFrame();
  const frameCount = useTimelineLength();
  const fps = useFps();
  const motion = useMedia('motion');
  const provider = useProvider();
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span data-testid="status-fps">{motion ? t('status.fps', { fps: Number(fps.toFixed(3)) }) : t('status.noClip')}</span>
      <span data-testid="status-frame">{t('status.frame', { frame, last: Math.max(0, frameCount - 1) })}</span>
      <span className="mono" data-testid="status-timecode">
        {formatTimecode(frame, fps)}
      </span>
      <span className="status-spacer" />
      <span data-testid="status-provider">{t('status.provider', { provider })}</span>
    </footer>
  );
}
