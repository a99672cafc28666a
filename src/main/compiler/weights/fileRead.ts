// Positioned reads that fail with a clear, file-naming error instead of returning short data.
import fs from 'node:fs';
import { StudioFailure } from '../../../shared/result';

/** Reads exactly `length` bytes at `position`, failing clearly if the file is shorter. */
export function readExactly(fd: number, file: string, position: number, length: number, what: string): Buffer {
  const buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const n = fs.readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new StudioFailure('model_invalid', `${file}: file is truncated while reading ${what} (${done} of ${length} bytes at offset ${position})`, { file });
    done += n;
  }
  return buffer;
}

