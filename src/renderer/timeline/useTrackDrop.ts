import type { DragEvent } from 'react';
import type { MediaRole } from '../../shared/contract';
import { useApi } from '../ApiContext';
import { importFiles } from '../import/importMedia';
import { useDragHover } from '../import/useDragHover';

export interface TrackDropHandlers {
  active: boolean;
  onDragOver: (event: DragEvent<HTMLElement>) => void;
  onDrop: (event: DragEvent<HTMLElement>) => void;
}

/** Drop files on a track to import them into that track's role (stops the window-wide drop). */
export function useTrackDrop(role: MediaRole): TrackDropHandlers {
  const api = useApi();
  const hover = useDragHover();
  return {
    active: hover.active,
    onDragOver: (event) => {
      if (!hover.onDragOver(event.dataTransfer)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'copy';
    },
    onDrop: (event) => {
      hover.clear();
      const files = Array.from(event.dataTransfer.files);
      if (files.length === 0) return;
      event.preventDefault();
      event.stopPropagation();
      void importFiles(api, files, role);
    },
  };
}
