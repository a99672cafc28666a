import { useApi } from '../ApiContext';
import { useMedia, useMediaName } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { TrackLane } from './TrackLane';
import type { TrackDef } from './tracks';

/** The reference photo: one still that spans the whole clip (the viewport when there is no clip). */
export function ReferenceLane({ track }: { track: TrackDef }) {
  const api = useApi();
  const reference = useMedia('reference');
  const name = useMediaName(reference);
  const { contentWidth, frameCount, viewportWidth } = useTimeline();
  const width = frameCount > 1 ? contentWidth : Math.max(contentWidth, viewportWidth - 16);
  const thumb = reference ? api.transport.thumbUrl(reference.id, 0) : '';
  return (
    <TrackLane track={track} empty={!reference}>
      {reference && (
        // The first tile is a real <img> (it reports load errors and can be inspected); the CSS
        // background repeats the same thumbnail along the rest of the clip.
        <div className="clip clip-reference" style={{ width, backgroundImage: `url("${thumb}")` }} title={reference.info.path}>
          <img className="clip-still" src={thumb} alt="" draggable={false} />
          <span className="clip-label">{name}</span>
        </div>
      )}
    </TrackLane>
  );
}
