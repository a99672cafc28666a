// The media channels of the contract ('media.probe', 'media.import', 'media.peaks') as plain async
// functions that throw StudioFailure; the dispatcher validates inputs and wraps Result envelopes.
// Holds mediaId → cache entry and serves frame/thumbnail paths to the HTTP server and the Electron
// protocol, never resolving outside the cache folder. Electron-free.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportedMedia, MediaInfo, MediaRole, RequestOf, ResponseOf, StudioEvent } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { checkDensePose } from '../media/densepose';
import { cacheId, ensureFrameCache, frameFileName, readCacheEntry, type FrameCacheEntry } from '../media/frameCache';
import type { Rgb } from '../media/filters';
import type { MediaTools } from '../media/locate';
import { computePeaks } from '../media/peaks';
import { probeMedia, type ProbeDetails } from '../media/probe';
import type { FfmpegHandle } from '../media/rawFrames';

export interface MediaServiceOptions {
  cacheDir: string;
  emit: (event: StudioEvent) => void;
  tools: Pick<MediaTools, 'ffmpeg' | 'ffprobe' | 'notes'>;
  /** Background for transparent reference pixels (default white). */
  alphaBackground?: Rgb;
}

interface MediaEntry {
  id: string;
  info: MediaInfo;
  /** Absent for audio-only media (nothing to scrub). */
  cache: FrameCacheEntry | null;
}

const MEDIA_ID = /^[0-9a-f]{24}$/;

export class MediaService {
  private readonly entries = new Map<string, MediaEntry>();
  private readonly inFlight = new Map<string, Promise<ImportedMedia>>();
  private readonly cacheDir: string;

  constructor(private readonly opts: MediaServiceOptions) {
    this.cacheDir = path.resolve(opts.cacheDir);
  }

  /** The contract handlers, keyed by channel, for the dispatcher. */
  handlers() {
    return {
      'media.probe': (input: RequestOf<'media.probe'>) => this.probe(input),
      'media.import': (input: RequestOf<'media.import'>) => this.import(input),
      'media.peaks': (input: RequestOf<'media.peaks'>) => this.peaks(input),
    };
  }

  async probe({ path: file }: RequestOf<'media.probe'>): Promise<ResponseOf<'media.probe'>> {
    return (await probeMedia(this.ffprobeBin(), path.resolve(file))).info;
  }

  async import({ path: rawPath, role }: RequestOf<'media.import'>): Promise<ImportedMedia> {
    const file = path.resolve(rawPath);
    const st = await stat(file).catch(() => null);
    const key = `${role}:${st ? cacheId(file, st.size, st.mtimeMs) : file}`;
    const running = this.inFlight.get(key);
    if (running) return running; // the same file dropped twice decodes once
    const job = this.importOnce(file, role).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  async peaks({ mediaId, buckets }: RequestOf<'media.peaks'>): Promise<ResponseOf<'media.peaks'>> {
    const entry = await this.entry(mediaId);
    if (!entry.info.hasAudio) {
      throw new StudioFailure('unsupported_media', `${path.basename(entry.info.path)} has no audio track, so there is no waveform to show.`);
    }
    return computePeaks(this.ffmpeg().bin, entry.info.path, { buckets, durationSec: entry.info.durationSec });
  }

  /** Absolute path of decoded frame `index` of `mediaId` (always inside the cache folder). */
  async framePath(mediaId: string, index: number): Promise<string> {
    return this.cachedFile(mediaId, index, 'frames');
  }

  async thumbPath(mediaId: string, index: number): Promise<string> {
    return this.cachedFile(mediaId, index, 'thumbs');
  }

  /** The normalised RGB copy of an imported reference image. */
  async referencePath(mediaId: string): Promise<string> {
    const { cache } = await this.entry(mediaId);
    if (!cache?.referencePath) throw new StudioFailure('not_found', `Media ${mediaId} is not a reference image.`);
    return this.insideCache(cache.referencePath);
  }

  /** Source file and facts of an imported media item (the render service needs the clip path). */
  async mediaInfo(mediaId: string): Promise<MediaInfo> {
    return (await this.entry(mediaId)).info;
  }

  // -------------------------------------------------------------------------------------------

  private async importOnce(file: string, role: MediaRole): Promise<ImportedMedia> {
    const details = await probeMedia(this.ffprobeBin(), file);
    checkRole(details.info, role);
    const warnings = conversionWarnings(details, this.opts.alphaBackground);
    if (role === 'audio') {
      const st = await stat(file);
      const id = cacheId(file, st.size, st.mtimeMs);
      this.entries.set(id, { id, info: details.info, cache: null });
      return { id, role, info: details.info, warnings };
    }
    const ffmpeg = this.ffmpeg();
    const { info } = details;
    const cache = await ensureFrameCache({
      ffmpegBin: ffmpeg.bin,
      ffmpegVersion: ffmpeg.version,
      cacheDir: this.cacheDir,
      file,
      kind: info.kind === 'image' ? 'image' : 'video',
      width: info.width,
      height: info.height,
      expectedFrames: info.frameCount,
      hasAlpha: details.hasAlpha,
      alphaBackground: this.opts.alphaBackground,
      onProgress: (decoded, total) => this.opts.emit({ type: 'media.progress', path: file, decoded, total }),
    });
    const finalInfo = { ...info, frameCount: cache.frameCount };
    if (info.kind === 'video' && cache.frameCount !== info.frameCount) {
      warnings.push(
        `${path.basename(file)}: its header lists ${info.frameCount} frames but only ${cache.frameCount} decode (damaged data?); the timeline uses ${cache.frameCount}. Re-export the clip if frames are missing.`,
      );
    }
    if (role === 'motion') {
      const { warning } = await checkDensePose(ffmpeg, file);
      if (warning) warnings.push(warning);
    }
    this.entries.set(cache.id, { id: cache.id, info: finalInfo, cache });
    return { id: cache.id, role, info: finalInfo, warnings };
  }

  private async entry(mediaId: string): Promise<MediaEntry> {
    const known = this.entries.get(mediaId);
    if (known) return known;
    if (!MEDIA_ID.test(mediaId)) throw new StudioFailure('not_found', `Unknown media id ${JSON.stringify(mediaId.slice(0, 64))}.`);
    // After a restart the map is empty but the decoded cache on disk is still valid.
    const cache = await readCacheEntry(this.cacheDir, mediaId);
    if (!cache) throw new StudioFailure('not_found', `Media ${mediaId} is not imported (or its cache was cleared); import the file again.`);
    const info = await probeMedia(this.ffprobeBin(), cache.sourcePath).then(
      (d) => ({ ...d.info, frameCount: cache.frameCount }),
      () => placeholderInfo(cache),
    );
    const entry = { id: mediaId, info, cache };
    this.entries.set(mediaId, entry);
    return entry;
  }

  private async cachedFile(mediaId: string, index: number, folder: 'frames' | 'thumbs'): Promise<string> {
    const { cache } = await this.entry(mediaId);
    if (!cache) throw new StudioFailure('not_found', `Media ${mediaId} is audio only; it has no frames.`);
    if (!Number.isInteger(index) || index < 0 || index >= cache.frameCount) {
      throw new StudioFailure('not_found', `Frame ${index} is outside 0–${cache.frameCount - 1} of media ${mediaId}.`);
    }
    return this.insideCache(path.join(cache.dir, folder, frameFileName(index)));
  }

  /** Defence in depth: whatever the inputs, never hand out a path outside the cache folder. */
  private insideCache(file: string): string {
    const resolved = path.resolve(file);
    if (!resolved.startsWith(this.cacheDir + path.sep)) {
      throw new StudioFailure('unauthorized', 'That path is outside the media cache.');
    }
    return resolved;
  }

  private ffprobeBin(): string {
    if (!this.opts.tools.ffprobe) throw new StudioFailure('not_available', missingMessage('ffprobe', this.opts.tools.notes));
    return this.opts.tools.ffprobe.path;
  }

  private ffmpeg(): FfmpegHandle {
    const found = this.opts.tools.ffmpeg;
    if (!found) throw new StudioFailure('not_available', missingMessage('ffmpeg', this.opts.tools.notes));
    return { bin: found.path, version: found.version };
  }
}

function missingMessage(tool: string, notes: string[]): string {
  return notes.find((n) => n.startsWith(tool)) ?? `${tool} is not available; install ffmpeg or set ${tool.toUpperCase()}_BIN.`;
}

function placeholderInfo(cache: FrameCacheEntry): MediaInfo {
  // The source moved or vanished since decoding: frames still serve, facts are minimal.
  return { path: cache.sourcePath, kind: cache.kind, width: 0, height: 0, fps: 0, frameCount: cache.frameCount, durationSec: 0, hasAudio: false };
}

/** What each role needs; the message says what to choose instead. */
export function checkRole(info: MediaInfo, role: MediaRole): void {
  const name = path.basename(info.path);
  if (role === 'motion' && info.kind !== 'video') {
    const what = info.kind === 'audio' ? 'an audio file with no video track' : 'a still image';
    throw new StudioFailure('unsupported_media', `${name} is ${what}; the motion track needs a DensePose video clip (MP4, WebM, MOV…).`);
  }
  if (role === 'reference' && info.kind !== 'image') {
    const advice = info.kind === 'video' ? 'export the frame you want as a PNG or JPEG' : 'choose a PNG or JPEG photo';
    throw new StudioFailure('unsupported_media', `${name} is not a still image; the reference must be one picture — ${advice}.`);
  }
  if (role === 'audio' && !info.hasAudio) {
    throw new StudioFailure('unsupported_media', `${name} has no audio track; choose an audio file or a video with sound.`);
  }
}

/** Non-fatal notes about conversions the importer applies. */
export function conversionWarnings(details: ProbeDetails, alphaBackground: Rgb = [255, 255, 255]): string[] {
  if (details.info.kind === 'video') return variableRateWarning(details.info);
  if (details.info.kind !== 'image') return [];
  const warnings: string[] = [];
  const name = path.basename(details.info.path);
  if (details.hasAlpha) {
    const key = alphaBackground.join(',');
    const bg = key === '255,255,255' ? 'white' : key === '0,0,0' ? 'black' : `RGB(${key})`;
    warnings.push(`${name} has transparency; transparent pixels are flattened onto ${bg}.`);
  }
  if (details.bitDepth > 8) warnings.push(`${name} has ${details.bitDepth} bits per channel; it is converted to 8 bits.`);
  if (/cmyk|gbrap/i.test(details.pixFmt ?? '') && details.info.codec === 'mjpeg') {
    warnings.push(`${name} is a CMYK JPEG; it is converted to RGB without a colour profile, so colours may shift slightly.`);
  }
  return warnings;
}

/**
 * Frames are used one by one (frame n = n-th decoded frame), so a variable-frame-rate clip plays
 * back evenly at `fps`; say so when the header's rate does not explain the frame count.
 */
export function variableRateWarning(info: MediaInfo): string[] {
  const implied = info.durationSec * info.fps;
  if (!(info.durationSec > 0 && info.fps > 0) || Math.abs(implied - info.frameCount) <= 1 + 0.02 * info.frameCount) return [];
  const actual = info.frameCount / info.durationSec;
  return [
    `${path.basename(info.path)} seems to have a variable frame rate (${info.frameCount} frames in ${info.durationSec.toFixed(2)} s, ` +
      `≈${actual.toFixed(2)} fps on average, header says ${info.fps.toFixed(2)}). Frames are used one by one at ${info.fps.toFixed(2)} fps, ` +
      'so timing can differ from the original; convert it to a constant frame rate if that matters.',
  ];
}
