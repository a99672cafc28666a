import { useEffect, type RefObject } from 'react';
import { useCurrentFrame } from '../state/hooks';
import { scrollToReveal } from './timelineMath';

/**
 * Keeps the playhead on screen while it moves (playback, keys). A leaf of its own so the frame
 * changing 25 times a second re-renders this and nothing else; a manual scroll is left alone.
 */
export function FollowPlayhead({ scroller, pxPerFrame }: { scroller: RefObject<HTMLDivElement | null>; pxPerFrame: number }) {
  const playhead = useCurrentFrame();
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const next = scrollToReveal(playhead, el.scrollLeft, el.clientWidth, pxPerFrame);
    if (next !== el.scrollLeft) el.scrollLeft = next;
  }, [scroller, playhead, pxPerFrame]);
  return null;
}
