// Which track a file belongs on. Pure: the MIME type first (what the browser knows), then the
// extension (Electron dialog paths have no MIME type, and Chromium leaves it empty for some
// containers such as .mkv). Unknown kinds return null and the caller asks media.probe.
import type { MediaRole } from '../../shared/contract';

export type MediaKind = 'video' | 'image' | 'audio';

const EXTENSION_KINDS: Record<string, MediaKind> = {
  mp4: 'video', m4v: 'video', mov: 'video', webm: 'video', mkv: 'video', avi: 'video', gif: 'video',
  png: 'image', jpg: 'image', jpeg: 'image', webp: 'image', bmp: 'image', tif: 'image', tiff: 'image',
  wav: 'audio', mp3: 'audio', m4a: 'audio', aac: 'audio', flac: 'audio', ogg: 'audio', opus: 'audio',
};

/** The last path component, for either separator (Windows paths come back from Electron dialogs). */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function kindOfFile(name: string, mime = ''): MediaKind | null {
  // image/gif is animated more often than not: treat it as a clip.
  if (mime === 'image/gif') return 'video';
  const family = mime.split('/')[0];
  if (family === 'video' || family === 'image' || family === 'audio') return family;
  return EXTENSION_KINDS[extensionOf(name)] ?? null;
}

/** Where a kind of media goes when it is dropped on the window rather than on a track. */
export function roleForKind(kind: MediaKind): MediaRole {
  if (kind === 'video') return 'motion';
  if (kind === 'image') return 'reference';
  return 'audio';
}

/**
 * A drop on a track asks for that track's role (a video on the Audio track means "use its sound");
 * elsewhere the kind decides. Null means "probe the file first".
 */
export function roleForDrop(kind: MediaKind | null, track: MediaRole | null): MediaRole | null {
  if (track) return track;
  return kind ? roleForKind(kind) : null;
}
