// The frame URL scheme both shells serve (HTTP in browser mode, studio:// under Electron):
//   /frames/media/<mediaId>/<n>.jpg         a decoded frame of an imported clip
//   /thumbs/<mediaId>/<n>.jpg               its timeline thumbnail
//   /frames/job/<jobId>/<final|preview>/<n>.png   a render job's output frame
// Parsing is strict (ids and numbers only) and the resolved file must lie inside a frame root,
// after symlinks are followed, so neither a crafted URL nor a careless resolver can leak files.
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { FrameSource, JobFrameKind, MaybeAsync } from './serviceTypes';

export type FrameRoute =
  | { kind: 'media'; mediaId: string; index: number }
  | { kind: 'thumb'; mediaId: string; index: number }
  | { kind: 'job'; jobId: string; frameKind: JobFrameKind; index: number };

const ID = '([A-Za-z0-9_-][A-Za-z0-9_.-]{0,127})';
const INDEX = '(\\d{1,7})';
const MEDIA_RE = new RegExp(`^/frames/media/${ID}/${INDEX}\\.jpg$`);
const THUMB_RE = new RegExp(`^/thumbs/${ID}/${INDEX}\\.jpg$`);
const JOB_RE = new RegExp(`^/frames/job/${ID}/(final|preview)/${INDEX}\\.png$`);

/**
 * True when a raw (undecoded) URL path tries to climb or smuggle separators: `..` in any
 * spelling (%2e, double-encoded %252e), encoded slashes or backslashes, NUL bytes.
 * No legitimate studio URL contains any of these, so refusing them wholesale is safe.
 */
export function hasTraversal(rawPath: string): boolean {
  let text = rawPath;
  for (let round = 0; round < 3; round++) {
    const lower = text.toLowerCase();
    if (lower.includes('..') || lower.includes('\\') || lower.includes('\0')) return true;
    if (/%(2e|2f|5c|00)/.test(lower)) return true;
    try {
      const decoded = decodeURIComponent(text);
      if (decoded === text) break;
      text = decoded;
    } catch {
      return true; // malformed escapes are never produced by our own URLs
    }
  }
  return false;
}

/** Parses the path part of a frame URL (no query); null when it is not a frame URL. */
export function parseFrameRoute(path: string): FrameRoute | null {
  if (hasTraversal(path)) return null;
  let m = MEDIA_RE.exec(path);
  if (m) return { kind: 'media', mediaId: m[1], index: Number(m[2]) };
  m = THUMB_RE.exec(path);
  if (m) return { kind: 'thumb', mediaId: m[1], index: Number(m[2]) };
  m = JOB_RE.exec(path);
  if (m) return { kind: 'job', jobId: m[1], frameKind: m[2] as JobFrameKind, index: Number(m[3]) };
  return null;
}

export function isInside(child: string, root: string): boolean {
  const rel = relative(root, child);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

function candidatePath(route: FrameRoute, frames: FrameSource): MaybeAsync<string | null> {
  switch (route.kind) {
    case 'media':
      return frames.framePath?.(route.mediaId, route.index) ?? null;
    case 'thumb':
      return frames.thumbPath?.(route.mediaId, route.index) ?? null;
    case 'job':
      return frames.jobFramePath?.(route.jobId, route.frameKind, route.index) ?? null;
  }
}

async function realOrNull(path: string): Promise<string | null> {
  try {
    return await realpath(path);
  } catch {
    return null;
  }
}

/** The real path of the file behind a route, or null (unknown id, no file, or outside the roots). */
export async function resolveFrameFile(route: FrameRoute, frames: FrameSource, roots: readonly string[]): Promise<string | null> {
  let candidate: string | null;
  try {
    candidate = await candidatePath(route, frames);
  } catch {
    return null; // unknown id: resolvers may throw not_found
  }
  if (!candidate || !isAbsolute(candidate)) return null;
  const file = await realOrNull(candidate);
  if (!file) return null;
  for (const root of roots) {
    const realRoot = await realOrNull(root);
    if (realRoot && isInside(file, realRoot)) return file;
  }
  return null;
}
