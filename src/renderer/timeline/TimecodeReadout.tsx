import { useT } from '../i18n/useT';
import { useCurrentFrame, useRange } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { formatTimecode } from './timelineMath';

/** The playhead's timecode and frame, and the in/out marks when set. */
export function TimecodeReadout() {
  const t = useT();
  const frame = useCurrentFrame();
  const range = useRange();
  const { fps, frameCount } = useTimeline();
  const mark = (f: number | null): string => (f === null ? '—' : formatTimecode(f, fps));
  return (
    <div className="timecode-readout">
      <span className="timecode" data-testid="timecode">
        {formatTimecode(frame, fps)}
      </span>
      <span className="frame-readout">{frameCount > 0 ? `${frame} / ${frameCount - 1}` : '—'}</span>
      {(range.in !== null || range.out !== null) && <span className="range-readout">{t('status.range', { in: mark(range.in), out: mark(range.out) })}</span>}
    </div>
  );
}
