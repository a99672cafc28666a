import { useEffect, useRef } from 'react';

/** Frames each side of the playhead fetched ahead, so scrubbing and playback do not wait. */
export const PRELOAD_RADIUS = 2;

/** Frame indices around `frame` worth preloading (the frame itself excluded), inside the clip. */
export function neighbourFrames(frame: number, frameCount: number, radius = PRELOAD_RADIUS): number[] {
  const frames: number[] = [];
  for (let d = 1; d <= radius; d++) {
    if (frame + d < frameCount) frames.push(frame + d);
    if (frame - d >= 0) frames.push(frame - d);
  }
  return frames;
}

/**
 * Warms the browser's image cache for the given URLs. The Image objects are held until the next
 * set replaces them, so a load in flight is not dropped by garbage collection.
 */
export function useFramePreload(urls: string[]): void {
  const held = useRef<Map<string, HTMLImageElement>>(new Map());
  const key = urls.join('\n');
  useEffect(() => {
    const next = new Map<string, HTMLImageElement>();
    for (const url of key ? key.split('\n') : []) {
      const image = held.current.get(url) ?? new Image();
      if (!image.src) {
        image.decoding = 'async';
        image.src = url;
      }
      next.set(url, image);
    }
    held.current = next;
  }, [key]);
}
