// Finds ffmpeg and ffprobe: environment variable, then the bundled ffmpeg-static binary, then PATH.
// The search itself is pure (`locateTool` takes the environment and a file test), so tests can
// exercise every branch; `locateMediaTools` is the edge that reads the real machine.
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runTool } from './spawn';

export type ToolName = 'ffmpeg' | 'ffprobe';
export type ToolSource = 'env' | 'bundled' | 'path';

export interface ToolLocation {
  path: string;
  source: ToolSource;
  /** Detail of the source, e.g. the variable name. */
  via: string;
}

export interface FfmpegVersion {
  major: number;
  minor: number;
  text: string;
}

export interface MediaTools {
  ffmpeg: (ToolLocation & { version: FfmpegVersion | null }) | null;
  ffprobe: ToolLocation | null;
  /** What is missing and what still works, for the About box and the log. */
  notes: string[];
}

// ffmpeg-static itself reads FFMPEG_BIN; FFMPEG_PATH is the other common spelling.
export const ENV_VARS: Record<ToolName, readonly string[]> = {
  ffmpeg: ['FFMPEG_BIN', 'FFMPEG_PATH'],
  ffprobe: ['FFPROBE_BIN', 'FFPROBE_PATH'],
};

export interface LocateContext {
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** ffmpeg-static's exported path (may point at a file that was never downloaded), or null. */
  bundledFfmpeg: string | null;
  isExecutable(file: string): boolean;
}

/** NOTE: inside a packaged Electron app, binaries live in app.asar.unpacked (asar cannot exec). */
export function unpackedAsarPath(file: string): string {
  return file.replace(/app\.asar(?=[\\/])/, 'app.asar.unpacked');
}

function bundledCandidate(name: ToolName, ctx: LocateContext): string | null {
  if (!ctx.bundledFfmpeg) return null;
  const ffmpegPath = unpackedAsarPath(ctx.bundledFfmpeg);
  if (name === 'ffmpeg') return ffmpegPath;
  // No ffprobe package is a dependency; a packager may still place ffprobe beside ffmpeg.
  const exe = ctx.platform === 'win32' ? 'ffprobe.exe' : 'ffprobe';
  return path.join(path.dirname(ffmpegPath), exe);
}

function onPath(name: ToolName, ctx: LocateContext): string | null {
  const dirs = (ctx.env.PATH ?? ctx.env.Path ?? '').split(ctx.platform === 'win32' ? ';' : ':');
  const exts = ctx.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of dirs.filter(Boolean)) {
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (ctx.isExecutable(candidate)) return candidate;
    }
  }
  return null;
}

/** Search order: env var → bundled binary (if the file exists) → PATH. */
export function locateTool(name: ToolName, ctx: LocateContext): ToolLocation | null {
  for (const variable of ENV_VARS[name]) {
    const value = ctx.env[variable];
    if (value && ctx.isExecutable(value)) return { path: value, source: 'env', via: variable };
  }
  const bundled = bundledCandidate(name, ctx);
  if (bundled && ctx.isExecutable(bundled)) return { path: bundled, source: 'bundled', via: 'ffmpeg-static' };
  const found = onPath(name, ctx);
  return found ? { path: found, source: 'path', via: 'PATH' } : null;
}

/** Explains a missing tool: what to install or set, and which features still work. */
export function missingToolNotes(
  tools: { ffmpeg: ToolLocation | null; ffprobe: ToolLocation | null },
  ctx: LocateContext,
): string[] {
  const notes: string[] = [];
  const badEnv = (name: ToolName) =>
    ENV_VARS[name].filter((v) => ctx.env[v] && !ctx.isExecutable(ctx.env[v] as string)).map((v) => `${v}=${ctx.env[v]}`);
  if (!tools.ffmpeg) {
    const bad = badEnv('ffmpeg');
    notes.push(
      'ffmpeg was not found (checked FFMPEG_BIN/FFMPEG_PATH, the bundled ffmpeg-static binary, then PATH)' +
        (bad.length ? `; ${bad.join(', ')} is not an executable file` : '') +
        '. Importing clips, waveforms and export are unavailable; install ffmpeg or set FFMPEG_BIN. ' +
        'Rendering from already-decoded frames still works.',
    );
  }
  if (!tools.ffprobe) {
    const bad = badEnv('ffprobe');
    notes.push(
      'ffprobe was not found (checked FFPROBE_BIN/FFPROBE_PATH, beside the bundled ffmpeg, then PATH)' +
        (bad.length ? `; ${bad.join(', ')} is not an executable file` : '') +
        '. Media cannot be inspected or imported; install ffmpeg (it includes ffprobe) or set FFPROBE_BIN.',
    );
  }
  return notes;
}

/** Parses the first line of `ffmpeg -version` ("ffmpeg version 5.1.9-0+deb12u1 …", "n6.0", "N-1234-g…"). */
export function parseFfmpegVersion(text: string): FfmpegVersion | null {
  const first = text.split('\n')[0] ?? '';
  const m = /version\s+n?(\d+)\.(\d+)/i.exec(first);
  return m ? { major: Number(m[1]), minor: Number(m[2]), text: first.trim() } : null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function ffmpegStaticPath(): string | null {
  try {
    const exported: unknown = createRequire(import.meta.url)('ffmpeg-static');
    return typeof exported === 'string' ? exported : null;
  } catch {
    return null;
  }
}

export function realLocateContext(): LocateContext {
  return { env: process.env, platform: process.platform, bundledFfmpeg: ffmpegStaticPath(), isExecutable: isExecutableFile };
}

/** The edge: locate both tools on this machine and ask ffmpeg for its version (proves it runs). */
export async function locateMediaTools(ctx: LocateContext = realLocateContext()): Promise<MediaTools> {
  const ffmpegLoc = locateTool('ffmpeg', ctx);
  const ffprobe = locateTool('ffprobe', ctx);
  let ffmpeg: MediaTools['ffmpeg'] = null;
  const notes: string[] = [];
  if (ffmpegLoc) {
    try {
      const { stdout } = await runTool(ffmpegLoc.path, ['-hide_banner', '-version'], { what: 'checking the ffmpeg version' });
      ffmpeg = { ...ffmpegLoc, version: parseFfmpegVersion(stdout) };
    } catch (err) {
      notes.push(`ffmpeg at ${ffmpegLoc.path} (${ffmpegLoc.via}) does not run: ${(err as Error).message}`);
    }
  }
  notes.push(...missingToolNotes({ ffmpeg: ffmpegLoc, ffprobe }, ctx));
  return { ffmpeg, ffprobe, notes };
}
