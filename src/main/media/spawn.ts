// The one place in media/ that starts processes (STYLE.md §10: pure builders, spawn at the edge).
// Everything else builds argument arrays and parses text; this module runs them, keeps a bounded
// stderr tail for error messages, and kills the child when an AbortSignal fires.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StudioFailure } from '../../shared/result';
import { failureFromFfmpeg } from './errors';
import { hardenInputs } from './inputPolicy';

const STDERR_TAIL_CHARS = 8_000;

export interface ToolRunOptions {
  signal?: AbortSignal;
  /** Called with each complete stdout line (for `-progress pipe:1`). */
  onStdoutLine?: (line: string) => void;
  /** What the run was doing, for error messages ("decoding clip.mp4"). */
  what: string;
}

export interface ToolRunResult {
  stdout: string;
  stderr: string;
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

/** Every input is confined to real media files (inputPolicy.ts), whoever built the arguments. */
function startChild(bin: string, args: readonly string[]): Child {
  return spawn(bin, hardenInputs(args), { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
}

/** Keeps the last `STDERR_TAIL_CHARS` of a stream so a chatty ffmpeg cannot grow memory. */
function tailCollector(): { push(chunk: Buffer): void; text(): string } {
  let tail = '';
  return {
    push(chunk) {
      tail = (tail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    },
    text: () => tail,
  };
}

function abortFailure(what: string): StudioFailure {
  return new StudioFailure('cancelled', `Cancelled while ${what}.`);
}

/**
 * Run a tool to completion and collect its output. Use for ffprobe and for ffmpeg runs that write
 * files; stdout is kept whole only when no line callback is given (ffprobe JSON is small).
 */
export function runTool(bin: string, args: readonly string[], opts: ToolRunOptions): Promise<ToolRunResult> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortFailure(opts.what));
    const child = startChild(bin, args);
    const stderr = tailCollector();
    let stdout = '';
    let pendingLine = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (!opts.onStdoutLine) {
        stdout += chunk.toString('utf8');
        return;
      }
      const lines = (pendingLine + chunk.toString('utf8')).split('\n');
      pendingLine = lines.pop() ?? '';
      for (const line of lines) opts.onStdoutLine(line.trimEnd());
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const onAbort = () => child.kill('SIGKILL');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.on('error', (err) => {
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new StudioFailure('not_available', `Could not start ${bin} while ${opts.what}: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', onAbort);
      if (pendingLine && opts.onStdoutLine) opts.onStdoutLine(pendingLine.trimEnd());
      if (opts.signal?.aborted) return reject(abortFailure(opts.what));
      if (code === 0) return resolve({ stdout, stderr: stderr.text() });
      reject(failureFromFfmpeg({ what: opts.what, code, signal, stderr: stderr.text() }));
    });
  });
}

/**
 * Start a tool whose stdout is a byte stream (raw frames, PCM). The caller iterates `stdout`
 * (which applies back-pressure, so memory stays bounded) and then awaits `finished`.
 */
export function streamTool(
  bin: string,
  args: readonly string[],
  opts: { signal?: AbortSignal; what: string },
): { stdout: Readable; finished: Promise<void>; kill(): void } {
  const child = startChild(bin, args);
  const stderr = tailCollector();
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  opts.signal?.addEventListener('abort', kill, { once: true });
  let killedByUs = false;
  const finished = new Promise<void>((resolve, reject) => {
    child.on('error', (err) =>
      reject(new StudioFailure('not_available', `Could not start ${bin} while ${opts.what}: ${err.message}`)),
    );
    child.on('close', (code, signal) => {
      opts.signal?.removeEventListener('abort', kill);
      if (opts.signal?.aborted) return reject(abortFailure(opts.what));
      if (code === 0 || killedByUs) return resolve();
      reject(failureFromFfmpeg({ what: opts.what, code, signal, stderr: stderr.text() }));
    });
  });
  // Avoid an unhandled rejection when the caller stops early and never awaits `finished`.
  finished.catch(() => undefined);
  return {
    stdout: child.stdout,
    finished,
    kill() {
      killedByUs = true;
      kill();
    },
  };
}
