import { useEffect, useState } from 'react';
import type { StudioApi } from '../../shared/contract';
import { importFiles } from '../import/importMedia';
import { hasFiles } from '../import/useDragHover';

const HOVER_TIMEOUT_MS = 150;

/**
 * Files dropped anywhere on the window are imported with their role inferred. Track lanes handle
 * their own drops first and stop propagation, so this only sees drops elsewhere. Returns whether
 * files are being dragged over the window (for the overlay).
 */
export function useWindowDrop(api: StudioApi): boolean {
  const [dragging, setDragging] = useState(false);
  useEffect(() => {
    let timer: number | undefined;
    const end = (): void => {
      window.clearTimeout(timer);
      setDragging(false);
    };
    const onDragOver = (event: DragEvent): void => {
      if (!hasFiles(event.dataTransfer)) return;
      // Without preventDefault the browser would open the file and leave the editor.
      event.preventDefault();
      if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
      setDragging(true);
      window.clearTimeout(timer);
      timer = window.setTimeout(end, HOVER_TIMEOUT_MS);
    };
    const onDrop = (event: DragEvent): void => {
      const files = Array.from(event.dataTransfer?.files ?? []);
      if (files.length === 0) return;
      event.preventDefault();
      void importFiles(api, files);
    };
    window.addEventListener('dragover', onDragOver);
    // Capture phase: the overlay goes away even when a track handles the drop itself.
    window.addEventListener('drop', end, true);
    window.addEventListener('drop', onDrop);
    return () => {
      end();
      window.removeEventListener('dragover', onDragOver);
      window.removeEventListener('drop', end, true);
      window.removeEventListener('drop', onDrop);
    };
  }, [api]);
  return dragging;
}
