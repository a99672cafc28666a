import { useCurrentFrame } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { useScrub } from './useScrub';

/** The playhead: a line through every track and a draggable head on the ruler. */
export function Playhead() {
  const frame = useCurrentFrame();
  const { toPx, pxPerFrame, frameCount } = useTimeline();
  const scrub = useScrub();
  if (frameCount === 0) return null;
  return (
    <div className="playhead" data-testid="playhead" data-frame={frame} style={{ left: toPx(frame), width: Math.max(1, pxPerFrame) }}>
      <div className="playhead-head" onPointerDown={scrub} />
      <div className="playhead-line" />
    </div>
  );
}
