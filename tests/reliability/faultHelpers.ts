// Fault injection helpers: find the processes a service started (from /proc), kill them, wrap
// ffmpeg in a file-size limit, and run the save-loop child that gets killed mid-save.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { childPids, commandLine, describeProcess } from './harness';

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Children of this process whose command line matches `pattern` (render workers, ffmpeg). */
export function childrenMatching(pattern: RegExp): number[] {
  return childPids().filter((pid) => pattern.test(commandLine(pid)));
}

export const WORKER = /worker[/\\]entry\.ts/;
export const FFMPEG = /ffmpeg/;

/** Polls until a matching child appears; returns its pid. */
export async function waitForChild(pattern: RegExp, ms: number, pollMs = 5): Promise<number> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const [pid] = childrenMatching(pattern);
    if (pid) return pid;
    await sleep(pollMs);
  }
  throw new Error(`no child process matching ${pattern} within ${ms} ms`);
}

/** Waits until no child matches (an orphan check); returns the ones still there after `ms`. */
export async function leftoverChildren(pattern: RegExp, ms: number): Promise<string[]> {
  const until = Date.now() + ms;
  for (;;) {
    const left = childrenMatching(pattern);
    if (left.length === 0 || Date.now() > until) return left.map((pid) => `${pid} ${describeProcess(pid)}`);
    await sleep(50);
  }
}

/**
 * An ffmpeg that may write at most `kib` KiB per file, like a nearly full disk: the kernel sends
 * SIGXFSZ when it writes past the limit. Works for any user; the real full disk (`smallTmpfs`)
 * needs root with CAP_SYS_ADMIN.
 */
export function fileSizeLimitedFfmpeg(dir: string, ffmpegBin: string, kib: number): string {
  const wrapper = path.join(dir, 'ffmpeg-disk-full.sh');
  // POSIX sh counts ulimit -f in 512-byte blocks.
  fs.writeFileSync(wrapper, `#!/bin/sh\nulimit -f ${kib * 2}\nexec "${ffmpegBin}" "$@"\n`, { mode: 0o755 });
  return wrapper;
}

const tsxLoader = pathToFileURL(path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs')).href;

export interface SaveLoop {
  child: ChildProcess;
  /** Highest version whose save returned before the kill. */
  lastSaved(): number;
  firstSave: Promise<void>;
  exited: Promise<void>;
}

/** Starts tests/reliability/saveLoopChild.ts (plain Node + tsx, no npx in between). */
export function startSaveLoop(dataDir: string, file: string): SaveLoop {
  const script = path.join(import.meta.dirname, 'saveLoopChild.ts');
  const child = spawn(process.execPath, ['--import', tsxLoader, script, dataDir, file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let last = 0;
  let stderr = '';
  let resolveFirst: () => void = () => undefined;
  let rejectFirst: (e: Error) => void = () => undefined;
  const firstSave = new Promise<void>((resolve, reject) => ((resolveFirst = resolve), (rejectFirst = reject)));
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    for (const m of chunk.matchAll(/saved (\d+)/g)) last = Math.max(last, Number(m[1]));
    if (last > 0) resolveFirst();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<void>((resolve) =>
    child.on('exit', () => {
      rejectFirst(new Error(`the save loop exited before saving: ${stderr.slice(-500)}`));
      resolve();
    }),
  );
  return { child, lastSaved: () => last, firstSave, exited };
}

/**
 * A tmpfs of `kib` KiB mounted at `dir`: a real file system that runs out of space (ENOSPC).
 * Returns the unmount function, or the reason it cannot be mounted here (not root, no
 * CAP_SYS_ADMIN, no `mount`), so the caller can say why the variant did not run.
 */
export function smallTmpfs(dir: string, kib: number): { unmount(): void } | { reason: string } {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return { reason: 'mounting a tmpfs needs root on Linux' };
  fs.mkdirSync(dir, { recursive: true });
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { encoding: 'utf8' });
  if (mounted.status !== 0) return { reason: `mount failed: ${(mounted.stderr || mounted.error?.message || '').trim()}` };
  return { unmount: () => void spawnSync('umount', [dir]) };
}
