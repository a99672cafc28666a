import { useCallback, type PointerEvent } from 'react';
import { dispatch } from '../state/stores';
import { useTimeline } from './TimelineContext';

/**
 * Pointer-down handler that moves the playhead to the frame under the pointer and keeps following
 * it while the button is held (pointer capture keeps the drag alive outside the element).
 */
export function useScrub(): (event: PointerEvent<HTMLElement>) => void {
  const { frameAtClientX, frameCount } = useTimeline();
  return useCallback(
    (event: PointerEvent<HTMLElement>) => {
      if (event.button !== 0 || frameCount === 0) return;
      const target = event.currentTarget;
      target.setPointerCapture(event.pointerId);
      const seek = (clientX: number): void => dispatch({ type: 'playhead.set', frame: frameAtClientX(clientX) });
      seek(event.clientX);
      const onMove = (move: globalThis.PointerEvent): void => seek(move.clientX);
      const onUp = (): void => {
        target.removeEventListener('pointermove', onMove);
        target.removeEventListener('pointerup', onUp);
        target.removeEventListener('pointercancel', onUp);
      };
      target.addEventListener('pointermove', onMove);
      target.addEventListener('pointerup', onUp);
      target.addEventListener('pointercancel', onUp);
      event.preventDefault();
    },
    [frameAtClientX, frameCount],
  );
}
