import { useApi } from '../ApiContext';
import { useT } from '../i18n/useT';
import { useMedia, useMediaName } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { describeMedia } from './describeMedia';
import { TrackLane } from './TrackLane';
import { thumbFrames, thumbStep } from './timelineMath';
import type { TrackDef } from './tracks';
import { useScrub } from './useScrub';

/** Thumbnail height in pixels; keep in step with --thumb-h in timeline.css. */
const THUMB_HEIGHT = 50;

/** The motion clip: one thumbnail per frame (or per few frames when zoomed out), visible ones only. */
export function MotionLane({ track }: { track: TrackDef }) {
  const api = useApi();
  const t = useT();
  const motion = useMedia('motion');
  const name = useMediaName(motion);
  const { pxPerFrame, visible, toPx, contentWidth } = useTimeline();
  const scrub = useScrub();
  const frameCount = motion?.info.frameCount ?? 0;
  const aspect = motion && motion.info.height > 0 ? motion.info.width / motion.info.height : 1;
  const thumbWidth = Math.round(THUMB_HEIGHT * aspect);
  const step = thumbStep(thumbWidth, pxPerFrame);
  return (
    <TrackLane track={track} empty={!motion} data-frame-count={frameCount}>
      {motion && (
        <div className="clip clip-motion" style={{ width: contentWidth }} onPointerDown={scrub}>
          {thumbFrames(visible, step).map((frame) => (
            <img
              key={frame}
              className="thumb"
              src={api.transport.thumbUrl(motion.id, frame)}
              alt=""
              draggable={false}
              data-frame={frame}
              style={{ left: toPx(frame), width: Math.min(thumbWidth, step * pxPerFrame) }}
            />
          ))}
          <span className="clip-label">
            {name} · {t('track.frames', { count: frameCount })} · {describeMedia(motion, false)}
          </span>
        </div>
      )}
    </TrackLane>
  );
}
