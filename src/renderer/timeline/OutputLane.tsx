import { TrackLane } from './TrackLane';
import type { TrackDef } from './tracks';

/** Renders will fill this track segment by segment; until then it only shows its hint. */
export function OutputLane({ track }: { track: TrackDef }) {
  return <TrackLane track={track} empty />;
}
