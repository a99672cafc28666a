import { useApi } from '../ApiContext';
import { baseName } from '../import/roleInference';
import { useMedia } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { TrackLane } from './TrackLane';
import type { TrackDef } from './tracks';

/** The reference photo: one still that spans the whole clip (the viewport when there is no clip). */
export function ReferenceLane({ track }: { track: TrackDef }) {
  const api = useApi();
  const reference = useMedia('reference');
  const { contentWidth, frameCount, viewportWidth } = useTimeline();
  const width = frameCount > 1 ? contentWidth : Math.max(contentWidth, viewportWidth - 16);
  return (
    <TrackLane track={track} empty={!reference}>
      {reference && (
        <div
          className="clip clip-reference"
          style={{ width, backgroundImage: `url("${api.transport.thumbUrl(reference.id, 0)}")` }}
          title={reference.info.path}
        >
          <span className="clip-label">{baseName(reference.info.path)}</span>
        </div>
      )}
    </TrackLane>
  );
}
