import type { HTMLAttributes, ReactNode } from 'react';
import { useT } from '../i18n/useT';
import type { TrackDef } from './tracks';
import { useTrackDrop } from './useTrackDrop';

interface TrackLaneProps extends HTMLAttributes<HTMLDivElement> {
  track: TrackDef;
  /** Nothing on the track yet: show the drop hint instead of children. */
  empty: boolean;
  children?: ReactNode;
  [dataAttribute: `data-${string}`]: string | number | undefined;
}

/** A track's row in the scrolling area: the drop target, the empty hint, or the track's content. */
export function TrackLane({ track, empty, children, className, ...rest }: TrackLaneProps) {
  const t = useT();
  const drop = useTrackDrop(track.role ?? 'motion');
  const droppable = track.role !== null;
  return (
    <div
      {...rest}
      className={`track-lane lane-${track.id}${drop.active && droppable ? ' drop-active' : ''}${className ? ` ${className}` : ''}`}
      data-testid={`track-${track.id}`}
      onDragOver={droppable ? drop.onDragOver : undefined}
      onDrop={droppable ? drop.onDrop : undefined}
    >
      {empty ? <div className="lane-hint">{t(track.hint)}</div> : children}
    </div>
  );
}
