// Atomic file writes: write a sibling temp file, then rename over the target, so a reader never
// sees a half-written file and a crash leaves at most a stray temp file.
import fs from 'node:fs';
import path from 'node:path';

export function tempPathFor(target: string): string {
  const suffix = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}.tmp`);
}

/** Writes the chunks in order to a temp file and renames it over `target`. */
export function writeFileAtomic(target: string, chunks: Iterable<Uint8Array | string>): void {
  const temp = tempPathFor(target);
  const fd = fs.openSync(temp, 'w');
  try {
    for (const chunk of chunks) {
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      let written = 0;
      while (written < bytes.byteLength) written += fs.writeSync(fd, bytes, written, bytes.byteLength - written);
    }
    fs.fsyncSync(fd);
  } catch (error) {
    fs.closeSync(fd);
    fs.rmSync(temp, { force: true });
    throw error;
  }
  fs.closeSync(fd);
  fs.renameSync(temp, target);
}
