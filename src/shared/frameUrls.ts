// Paths of the frame URLs both transports serve (browser mode over HTTP, Electron over studio://).
// Pure so the renderer's client, the preload and the main-side parser share one spelling; the
// parser lives in src/main/services/frameRoutes.ts.

export type FrameUrlSource = { media: string } | { job: string; kind: 'final' | 'preview' };

const frameIndex = (index: number): number => (Number.isFinite(index) ? Math.max(0, Math.floor(index)) : 0);

export function framePath(source: FrameUrlSource, index: number): string {
  if ('media' in source) return `/frames/media/${encodeURIComponent(source.media)}/${frameIndex(index)}.jpg`;
  return `/frames/job/${encodeURIComponent(source.job)}/${source.kind}/${frameIndex(index)}.png`;
}

export function thumbPath(mediaId: string, index: number): string {
  return `/thumbs/${encodeURIComponent(mediaId)}/${frameIndex(index)}.jpg`;
}
