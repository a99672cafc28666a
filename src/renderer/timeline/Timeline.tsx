import { useCallback, useEffect, useRef } from 'react';
import { useFps, useTimelineLength, useZoom } from '../state/hooks';
import { zoomStore } from '../state/stores';
import { AudioLane } from './AudioLane';
import { FollowPlayhead } from './FollowPlayhead';
import { MotionLane } from './MotionLane';
import { OutputLane } from './OutputLane';
import { Playhead } from './Playhead';
import { ReferenceLane } from './ReferenceLane';
import { RangeShade, Ruler } from './Ruler';
import { TimecodeReadout } from './TimecodeReadout';
import { TimelineProvider } from './TimelineContext';
import { TrackHeader } from './TrackHeader';
import { pxPerFrameForZoom, zoomToFit } from './timelineMath';
import { TRACKS } from './tracks';
import { useTimelineViewport } from './useTimelineViewport';
import { ZoomControl } from './ZoomControl';

/** Room after the last frame so the end of the clip is not flush with the edge. */
const END_PADDING_PX = 120;
const [REFERENCE, MOTION, AUDIO, OUTPUT] = TRACKS;

export function Timeline() {
  const zoom = useZoom();
  const frameCount = useTimelineLength();
  const fps = useFps();
  const pxPerFrame = pxPerFrameForZoom(zoom);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const viewport = useTimelineViewport(scroller, pxPerFrame);
  const fitWidth = viewport.width - END_PADDING_PX / 2;
  const fit = useCallback(() => zoomStore.set(zoomToFit(frameCount, fitWidth)), [frameCount, fitWidth]);

  // A new clip length (a clip imported or removed): show all of it.
  const fittedLength = useRef(0);
  useEffect(() => {
    if (frameCount <= 1 || fitWidth <= 0 || fittedLength.current === frameCount) return;
    fittedLength.current = frameCount;
    fit();
  }, [frameCount, fitWidth, fit]);

  const contentWidth = Math.max(frameCount * pxPerFrame + END_PADDING_PX, viewport.width);
  return (
    <section className="timeline" data-testid="timeline">
      <TimelineProvider pxPerFrame={pxPerFrame} frameCount={frameCount} fps={fps} scrollLeft={viewport.scrollLeft} viewportWidth={viewport.width} contentRef={content}>
        <div className="timeline-toolbar">
          <TimecodeReadout />
          <ZoomControl onFit={fit} />
        </div>
        <div className="timeline-body">
          <div className="track-headers">
            <div className="ruler-spacer" />
            {TRACKS.map((track) => (
              <TrackHeader key={track.id} track={track} />
            ))}
          </div>
          <div className="timeline-scroll" ref={scroller}>
            <div className="timeline-content" ref={content} style={{ width: contentWidth }}>
              <Ruler />
              <ReferenceLane track={REFERENCE} />
              <MotionLane track={MOTION} />
              <AudioLane track={AUDIO} />
              <OutputLane track={OUTPUT} />
              <RangeShade />
              <Playhead />
            </div>
          </div>
        </div>
      </TimelineProvider>
      <FollowPlayhead scroller={scroller} pxPerFrame={pxPerFrame} />
    </section>
  );
}
