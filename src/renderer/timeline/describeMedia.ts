import type { ImportedMedia } from '../../shared/contract';

/** A short line about the media as this track uses it (the Audio track only cares about sound). */
export function describeMedia(media: ImportedMedia, asAudio: boolean): string {
  const { info } = media;
  if (asAudio || info.kind === 'audio') return `${info.durationSec.toFixed(2)} s`;
  if (info.kind === 'image') return `${info.width}×${info.height}`;
  return `${info.width}×${info.height} · ${Number(info.fps.toFixed(2))} fps`;
}
