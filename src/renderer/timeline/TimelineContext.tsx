// The timeline's geometry, computed once per zoom/scroll/size change and shared with every leaf
// (STYLE.md §11: Motion Canvas keeps framesToPixels/pixelsToFrames in one memo behind a context).
import { createContext, useContext, useMemo, type ReactNode, type RefObject } from 'react';
import { frameAtPixel, framesToPixels, visibleFrameRange, type FrameRange } from './timelineMath';

export interface TimelineGeometry {
  pxPerFrame: number;
  frameCount: number;
  fps: number;
  /** Width of the clip in pixels. */
  contentWidth: number;
  scrollLeft: number;
  viewportWidth: number;
  /** Frames on screen, with a little overscan so scrolling never shows a gap. */
  visible: FrameRange;
  toPx(frame: number): number;
  /** The frame under a clientX (a pointer), using the content element's live position. */
  frameAtClientX(clientX: number): number;
}

const TimelineContext = createContext<TimelineGeometry | null>(null);

interface ProviderProps {
  pxPerFrame: number;
  frameCount: number;
  fps: number;
  scrollLeft: number;
  viewportWidth: number;
  contentRef: RefObject<HTMLDivElement | null>;
  children: ReactNode;
}

const OVERSCAN_PX = 200;

export function TimelineProvider({ pxPerFrame, frameCount, fps, scrollLeft, viewportWidth, contentRef, children }: ProviderProps) {
  const geometry = useMemo<TimelineGeometry>(() => {
    const overscan = Math.ceil(OVERSCAN_PX / pxPerFrame);
    return {
      pxPerFrame,
      frameCount,
      fps,
      contentWidth: framesToPixels(frameCount, pxPerFrame),
      scrollLeft,
      viewportWidth,
      visible: visibleFrameRange(scrollLeft, viewportWidth, pxPerFrame, frameCount, overscan),
      toPx: (frame) => framesToPixels(frame, pxPerFrame),
      frameAtClientX: (clientX) => {
        const left = contentRef.current?.getBoundingClientRect().left ?? 0;
        return frameAtPixel(clientX - left, pxPerFrame, frameCount);
      },
    };
  }, [pxPerFrame, frameCount, fps, scrollLeft, viewportWidth, contentRef]);
  return <TimelineContext.Provider value={geometry}>{children}</TimelineContext.Provider>;
}

export function useTimeline(): TimelineGeometry {
  const geometry = useContext(TimelineContext);
  if (!geometry) throw new Error('useTimeline() outside <TimelineProvider>');
  return geometry;
}
