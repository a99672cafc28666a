import { useRange } from '../state/hooks';
import { useTimeline } from './TimelineContext';
import { formatTimecode, rulerTickSteps, ticksInRange } from './timelineMath';
import { useScrub } from './useScrub';

/** Frame numbers and timecode over the visible frames; click or drag to scrub. */
export function Ruler() {
  const { pxPerFrame, fps, visible, toPx, contentWidth } = useTimeline();
  const scrub = useScrub();
  const { major, minor } = rulerTickSteps(pxPerFrame, fps, 96);
  const majors = new Set(ticksInRange(visible, major));
  const ticks = ticksInRange(visible, minor);
  return (
    <div className="ruler" data-testid="ruler" style={{ width: contentWidth }} onPointerDown={scrub}>
      {ticks.map((frame) =>
        majors.has(frame) ? (
          <div key={frame} className="ruler-tick major" style={{ left: toPx(frame) }}>
            <span className="ruler-frame">{frame}</span>
            <span className="ruler-timecode">{formatTimecode(frame, fps)}</span>
          </div>
        ) : (
          <div key={frame} className="ruler-tick" style={{ left: toPx(frame) }} />
        ),
      )}
      <RangeMarks />
    </div>
  );
}

/** The in/out range as a bar along the ruler's bottom edge, with bracket handles. */
function RangeMarks() {
  const range = useRange();
  const { toPx, frameCount } = useTimeline();
  if (range.in === null && range.out === null) return null;
  const start = toPx(range.in ?? 0);
  const end = toPx((range.out ?? frameCount - 1) + 1);
  return (
    <>
      <div className="ruler-range" data-testid="range" data-in={range.in ?? ''} data-out={range.out ?? ''} style={{ left: start, width: end - start }} />
      {range.in !== null && <div className="ruler-mark in" style={{ left: start }} />}
      {range.out !== null && <div className="ruler-mark out" style={{ left: end }} />}
    </>
  );
}

/** Dims the lanes outside the in/out range. */
export function RangeShade() {
  const range = useRange();
  const { toPx, frameCount, contentWidth } = useTimeline();
  if (range.in === null && range.out === null) return null;
  const start = toPx(range.in ?? 0);
  const end = toPx((range.out ?? frameCount - 1) + 1);
  return (
    <>
      {start > 0 && <div className="range-shade" style={{ left: 0, width: start }} />}
      {end < contentWidth && <div className="range-shade" style={{ left: end, width: contentWidth - end }} />}
    </>
  );
}
