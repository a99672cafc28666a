// A compile progress display on stderr: one redrawn line on a terminal, and plain lines (one per
// phase or network, no control characters) when stderr is a file or a pipe.
import type { CompileProgress } from '../compiler/compile';

const WIDTH = 30;

export function describeProgress(e: CompileProgress): string {
  switch (e.phase) {
    case 'text-embedding':
      return 'text embedding';
    case 'network':
      return `${e.network} (${e.index + 1}/${e.count}) tensor ${e.tensor}/${e.tensors}`;
    case 'manifest':
      return 'manifest';
    case 'done':
      return 'done';
  }
}

export function renderBar(fraction: number, label: string): string {
  const clamped = Math.min(1, Math.max(0, fraction));
  const filled = Math.round(clamped * WIDTH);
  return `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${(clamped * 100).toFixed(0).padStart(3)}% ${label}`;
}

export function progressPrinter(stream: NodeJS.WriteStream): { update(e: CompileProgress): void; finish(): void } {
  let lastStage = '';
  let lastDraw = 0;
  return {
    update(e) {
      const stage = e.phase === 'network' ? e.network : e.phase;
      if (!stream.isTTY) {
        if (stage !== lastStage) stream.write(`${renderBar(e.fraction, stage)}\n`);
        lastStage = stage;
        return;
      }
      const now = Date.now();
      if (stage === lastStage && now - lastDraw < 100 && e.phase !== 'done') return; // ~10 redraws a second
      lastStage = stage;
      lastDraw = now;
      stream.write(`\r\x1b[2K${renderBar(e.fraction, describeProgress(e))}`);
    },
    finish() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
