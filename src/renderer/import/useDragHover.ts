import { useCallback, useEffect, useRef, useState } from 'react';

/** True while files are dragged over; dragover repeats every few ms, so silence means "left". */
const HOVER_TIMEOUT_MS = 150;

export function hasFiles(dataTransfer: DataTransfer | null): boolean {
  return !!dataTransfer && Array.from(dataTransfer.types).includes('Files');
}

/**
 * Hover state for a drop target without dragenter/dragleave counting (which children break):
 * each dragover re-arms a short timer; `clear` ends it at once (on drop).
 */
export function useDragHover(): { active: boolean; onDragOver: (dataTransfer: DataTransfer | null) => boolean; clear: () => void } {
  const [active, setActive] = useState(false);
  const timer = useRef<number | undefined>(undefined);
  const clear = useCallback(() => {
    window.clearTimeout(timer.current);
    setActive(false);
  }, []);
  const onDragOver = useCallback(
    (dataTransfer: DataTransfer | null) => {
      if (!hasFiles(dataTransfer)) return false;
      setActive(true);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(clear, HOVER_TIMEOUT_MS);
      return true;
    },
    [clear],
  );
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return { active, onDragOver, clear };
}
