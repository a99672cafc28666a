import { useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { projectStore, zoomStore } from '../state/stores';
import { framesToPixels, scrollAfterZoom, stepZoom } from './timelineMath';

export interface Viewport {
  scrollLeft: number;
  width: number;
}

/**
 * Tracks the scroll container's scroll offset and width, and owns the scrolling behaviours:
 * Ctrl+wheel zoom around the pointer, plain wheel scrolls sideways, zoom changes keep the anchor
 * frame in place.
 */
export function useTimelineViewport(scroller: RefObject<HTMLDivElement | null>, pxPerFrame: number): Viewport {
  const [viewport, setViewport] = useState<Viewport>({ scrollLeft: 0, width: 0 });
  /** Pointer x (viewport pixels) to zoom around; null means around the playhead. */
  const zoomAnchor = useRef<number | null>(null);
  const previousPx = useRef(pxPerFrame);

  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = (): void => setViewport({ scrollLeft: el.scrollLeft, width: el.clientWidth });
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    el.addEventListener('scroll', measure, { passive: true });
    // NOTE: React's onWheel is passive, so preventDefault (to stop page zoom) needs a native listener.
    const onWheel = (event: WheelEvent): void => {
      if (event.ctrlKey || event.metaKey) {
        event.preventDefault();
        zoomAnchor.current = event.clientX - el.getBoundingClientRect().left;
        zoomStore.set((z) => stepZoom(z, event.deltaY < 0 ? 1 : -1));
      } else if (Math.abs(event.deltaY) > Math.abs(event.deltaX)) {
        event.preventDefault();
        el.scrollLeft += event.deltaY;
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    measure();
    return () => {
      observer.disconnect();
      el.removeEventListener('scroll', measure);
      el.removeEventListener('wheel', onWheel);
    };
  }, [scroller]);

  // After a zoom, keep the anchor frame (pointer or playhead) where it was on screen.
  useLayoutEffect(() => {
    const el = scroller.current;
    const oldPx = previousPx.current;
    previousPx.current = pxPerFrame;
    if (!el || oldPx === pxPerFrame) return;
    const playheadX = framesToPixels(projectStore.get().playhead, oldPx) - el.scrollLeft;
    const anchor = zoomAnchor.current ?? (playheadX >= 0 && playheadX <= el.clientWidth ? playheadX : el.clientWidth / 2);
    zoomAnchor.current = null;
    el.scrollLeft = scrollAfterZoom(el.scrollLeft, anchor, oldPx, pxPerFrame);
  }, [scroller, pxPerFrame]);

  return viewport;
}
