// Parser for ffmpeg's machine-readable progress (`-progress pipe:1`): blocks of key=value lines,
// each block closed by `progress=continue` or `progress=end`. Pure; fed line by line.

export interface FfmpegProgress {
  /** Frames written so far by the (first) video output. */
  frame: number;
  /** Output timestamp in seconds, or null before the first packet. */
  outTimeSec: number | null;
  /** Encoding speed relative to real time, or null when ffmpeg does not know yet. */
  speed: number | null;
  /** True for the last block (`progress=end`). */
  done: boolean;
}

/** Arguments that make ffmpeg print progress blocks on stdout and no human stats on stderr. */
export function progressArgs(): string[] {
  return ['-progress', 'pipe:1', '-nostats'];
}

export class ProgressParser {
  private block = new Map<string, string>();

  /** Feed one stdout line; returns a snapshot when the line closes a block, else null. */
  push(line: string): FfmpegProgress | null {
    const eq = line.indexOf('=');
    if (eq <= 0) return null;
    const key = line.slice(0, eq).trim();
    const value = line.slice(eq + 1).trim();
    if (key !== 'progress') {
      this.block.set(key, value);
      return null;
    }
    const snapshot = snapshotOf(this.block, value === 'end');
    this.block = new Map();
    return snapshot;
  }
}

function snapshotOf(block: Map<string, string>, done: boolean): FfmpegProgress {
  const frame = Number(block.get('frame'));
  // out_time_us is the precise field (out_time_ms is, despite its name, also microseconds).
  const outUs = Number(block.get('out_time_us') ?? block.get('out_time_ms'));
  const speedText = block.get('speed') ?? '';
  const speed = Number.parseFloat(speedText.replace(/x$/, ''));
  return {
    frame: Number.isFinite(frame) && frame >= 0 ? frame : 0,
    outTimeSec: Number.isFinite(outUs) && outUs >= 0 ? outUs / 1e6 : null,
    speed: Number.isFinite(speed) && speed > 0 ? speed : null,
    done,
  };
}

/** Remaining seconds from the rate so far; null until there is something to extrapolate from. */
export function etaSeconds(elapsedSec: number, done: number, total: number): number | null {
  if (done <= 0 || total <= 0 || elapsedSec <= 0) return null;
  const remaining = Math.max(0, total - done);
  return (elapsedSec / done) * remaining;
}
