// The context windows the render settings give, drawn above the output track so the person sees
// how window size and overlap cut the clip (alternate rows keep overlaps readable).
import { useT } from '../i18n/useT';
import { useEditState } from '../state/hooks';
import { renderRange } from '../state/projectState';
import { outputFrameCount, plannedWindows, windowRuns } from '../render/renderReadiness';
import { useTimeline } from './TimelineContext';

export function WindowsOverlay() {
  const t = useT();
  const state = useEditState();
  const { toPx, pxPerFrame } = useTimeline();
  const frames = outputFrameCount(state);
  const windows = plannedWindows(frames, state.render);
  const offset = renderRange(state)?.start ?? 0;
  if (windows.length === 0) return null;
  return (
    <div className="windows-overlay" data-testid="windows-overlay" data-count={windows.length} aria-label={t('render.windowCount', { count: windows.length })}>
      {windows.flatMap((window, w) =>
        windowRuns(window)
          // Frames past the clip exist only when the official preset pads it to a multiple of 16.
          .filter((run) => run.start < frames)
          .map((run) => (
            <span
              key={`${w}-${run.start}`}
              className={`context-window row-${w % 2}`}
              data-testid="context-window"
              title={t('render.windowTitle', { n: w + 1, first: window[0], last: window[window.length - 1] })}
              style={{ left: toPx(run.start + offset), width: (Math.min(run.end, frames) - run.start) * pxPerFrame }}
            />
          )),
      )}
    </div>
  );
}
