import { useEffect, useRef, type RefObject } from 'react';
import { useCurrentFrame } from '../state/hooks';
import { scrollToReveal } from './timelineMath';

/**
 * Keeps the playhead on screen while it moves (playback, keys). A leaf of its own so the frame
 * changing 25 times a second re-renders this and nothing else. It reacts to the playhead only:
 * a zoom (which keeps its own anchor) or a manual scroll is left alone.
 */
export function FollowPlayhead({ scroller, pxPerFrame }: { scroller: RefObject<HTMLDivElement | null>; pxPerFrame: number }) {
  const playhead = useCurrentFrame();
  const scale = useRef(pxPerFrame);
  scale.current = pxPerFrame;
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const next = scrollToReveal(playhead, el.scrollLeft, el.clientWidth, scale.current);
    if (next !== el.scrollLeft) el.scrollLeft = next;
  }, [scroller, playhead]);
  return null;
}
