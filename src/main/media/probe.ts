// ffprobe → MediaInfo. `buildProbeArgs` and `interpretProbe` are pure; `probeMedia` is the edge
// (stat the file, run ffprobe, turn its failures into specific, actionable StudioFailures).
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import type { MediaInfo } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import type { ToolFailureDetail } from './errors';
import { runTool } from './spawn';

/** Limits for pictures the editor will load (the model works at 512 px; 8K covers any photo). */
export const MAX_SIDE_PX = 8192;
export const MAX_PIXELS = 64_000_000;

/** Extra facts the importer needs beyond the contract's MediaInfo. */
export interface ProbeDetails {
  info: MediaInfo;
  pixFmt: string | null;
  hasAlpha: boolean;
  /** Bits per colour channel (16-bit PNGs need conversion to 8-bit). */
  bitDepth: number;
  formatName: string;
}

interface FfprobeStream {
  codec_type?: string;
  codec_name?: string;
  width?: number;
  height?: number;
  pix_fmt?: string;
  avg_frame_rate?: string;
  r_frame_rate?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  duration?: string;
  sample_rate?: string;
  bits_per_raw_sample?: string;
  disposition?: { attached_pic?: number };
  side_data_list?: { rotation?: number }[];
}
export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: { format_name?: string; duration?: string; size?: string };
}

export function buildProbeArgs(file: string): string[] {
  // -count_packets reads every packet (no decoding): exact counts when the header has none, and a
  // truncated file shows up as fewer packets than the header promises plus a "partial file" line.
  return ['-v', 'error', '-count_packets', '-show_streams', '-show_format', '-of', 'json', '-i', file];
}

/** "30000/1001" → 29.97; "0/0" or garbage → NaN. */
export function parseRate(rate: string | undefined): number {
  if (!rate) return NaN;
  const [num, den] = rate.split('/').map(Number);
  const value = den === undefined ? num : num / den;
  return Number.isFinite(value) && value > 0 ? value : NaN;
}

const toInt = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : NaN);
const toNum = (s: string | undefined) => (s !== undefined && s !== '' && Number.isFinite(Number(s)) ? Number(s) : NaN);

function isStillImageFormat(formatName: string, frames: number): boolean {
  if (/_pipe$|^image2$/.test(formatName)) return true;
  return formatName === 'gif' && frames <= 1;
}

function bitDepthOf(stream: FfprobeStream): number {
  const raw = toInt(stream.bits_per_raw_sample);
  if (Number.isFinite(raw)) return raw;
  return /48|64|16/.test(stream.pix_fmt ?? '') ? 16 : 8;
}

/** Pixel formats that carry alpha (pal8 may, through a PNG tRNS chunk; flattening is harmless if not). */
export function hasAlphaChannel(pixFmt: string | null): boolean {
  return /^(rgba|bgra|argb|abgr|ya8|ya16|gbrap|yuva|pal8)/.test(pixFmt ?? '');
}

function pickFps(stream: FfprobeStream, frames: number, duration: number): number {
  const avg = parseRate(stream.avg_frame_rate);
  if (Number.isFinite(avg) && avg <= 1000) return avg;
  const r = parseRate(stream.r_frame_rate);
  if (Number.isFinite(r) && r <= 1000) return r;
  return frames > 0 && duration > 0 ? frames / duration : 0;
}

function checkImageSize(file: string, width: number, height: number): void {
  const megapixels = (width * height) / 1e6;
  if (width > MAX_SIDE_PX || height > MAX_SIDE_PX || width * height > MAX_PIXELS) {
    throw new StudioFailure(
      'media_too_large',
      `${path.basename(file)} is ${width}×${height} (${megapixels.toFixed(1)} MP); the limit is ${MAX_SIDE_PX} px per side ` +
        `and ${MAX_PIXELS / 1e6} MP. Scale it down (the model works at 512 px) and import it again.`,
      { width, height, maxSide: MAX_SIDE_PX, maxPixels: MAX_PIXELS },
    );
  }
}

function videoFrameCount(file: string, stream: FfprobeStream, duration: number, stderr: string): number {
  const declared = toInt(stream.nb_frames);
  const counted = toInt(stream.nb_read_packets);
  if (/partial file/i.test(stderr) || (declared > 0 && counted >= 0 && counted < declared)) {
    throw new StudioFailure(
      'corrupt_media',
      `${path.basename(file)} is truncated: its header lists ${declared || '?'} frames but only ${counted} are present. ` +
        'The download or copy was probably interrupted; get the complete file again.',
      { declared, counted },
    );
  }
  if (declared > 0) return declared;
  if (counted >= 0) return counted;
  const fps = pickFps(stream, 0, duration);
  return Math.round(duration * fps);
}

/** Pure: turn ffprobe's JSON (and its stderr) into MediaInfo, or throw a specific StudioFailure. */
export function interpretProbe(file: string, probe: FfprobeOutput, stderr = ''): ProbeDetails {
  const streams = probe.streams ?? [];
  const formatName = probe.format?.format_name ?? '';
  // Cover art in audio files is a "video" stream flagged attached_pic: not a picture track.
  const visual = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic);
  const audio = streams.find((s) => s.codec_type === 'audio');
  const formatDuration = toNum(probe.format?.duration);
  const base = {
    path: file,
    hasAudio: Boolean(audio),
    ...(audio?.codec_name ? { audioCodec: audio.codec_name } : {}),
    ...(audio && Number.isFinite(toInt(audio.sample_rate)) ? { sampleRate: toInt(audio.sample_rate) } : {}),
  };
  if (!visual) {
    if (!audio) {
      throw new StudioFailure('unsupported_media', `${path.basename(file)} has no video, image or audio track. Choose a video, an image or an audio file.`);
    }
    const duration = Number.isFinite(formatDuration) ? formatDuration : toNum(audio.duration) || 0;
    const info: MediaInfo = { ...base, kind: 'audio', width: 0, height: 0, fps: 0, frameCount: 0, durationSec: duration };
    return { info, pixFmt: null, hasAlpha: false, bitDepth: 0, formatName };
  }
  const width = visual.width ?? 0;
  const height = visual.height ?? 0;
  if (width <= 0 || height <= 0) {
    throw new StudioFailure('corrupt_media', `${path.basename(file)} has a picture track without a size; the file is probably damaged.`);
  }
  checkImageSize(file, width, height);
  const pixFmt = visual.pix_fmt ?? null;
  // NOTE: ffmpeg decodes CMYK JPEGs to gbrap with an opaque alpha plane: not transparency.
  const hasAlpha = hasAlphaChannel(pixFmt) && visual.codec_name !== 'mjpeg';
  const details = { pixFmt, hasAlpha, bitDepth: bitDepthOf(visual), formatName };
  const counted = toInt(visual.nb_read_packets);
  if (isStillImageFormat(formatName, Number.isFinite(counted) ? counted : 1)) {
    const info: MediaInfo = { ...base, kind: 'image', width, height, fps: 0, frameCount: 1, durationSec: 0, codec: visual.codec_name };
    return { info, ...details };
  }
  const streamDuration = toNum(visual.duration);
  const duration = Number.isFinite(streamDuration) ? streamDuration : Number.isFinite(formatDuration) ? formatDuration : 0;
  const frameCount = videoFrameCount(file, visual, duration, stderr);
  if (frameCount <= 0) {
    throw new StudioFailure('corrupt_media', `${path.basename(file)} has a video track with no frames. Re-export the clip, or choose another file.`);
  }
  const fps = pickFps(visual, frameCount, duration);
  const durationSec = duration > 0 ? duration : fps > 0 ? frameCount / fps : 0;
  const info: MediaInfo = { ...base, kind: 'video', width, height, fps, frameCount, durationSec, codec: visual.codec_name };
  return { info, ...details };
}

async function statMediaFile(file: string): Promise<number> {
  const st = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new StudioFailure('not_found', `${file} does not exist. Check the path.`);
    throw new StudioFailure('io_error', `${file} cannot be read (${err.code ?? err.message}). Check its permissions.`);
  });
  if (!st.isFile()) throw new StudioFailure('unsupported_media', `${file} is not a file. Choose a video, image or audio file.`);
  if (st.size === 0) {
    throw new StudioFailure('corrupt_media', `${path.basename(file)} is empty (0 bytes). The copy or download probably failed; get the file again.`);
  }
  return st.size;
}

// Top-level ISO-BMFF boxes a real MP4/MOV starts with; anything else is not an MP4 at all.
const MP4_FIRST_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid']);

/** Does the file start like an MP4/MOV (a box header), as opposed to text named *.mp4? */
export function looksLikeIsoMedia(head: Uint8Array): boolean {
  if (head.length < 8) return false;
  return MP4_FIRST_BOXES.has(String.fromCharCode(head[4], head[5], head[6], head[7]));
}

async function readHead(file: string): Promise<Uint8Array> {
  const handle = await open(file, 'r');
  try {
    const buf = new Uint8Array(12);
    const { bytesRead } = await handle.read(buf, 0, 12, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Reclassify ffprobe's own failures with messages about this file. */
function probeFailure(file: string, err: unknown, head: Uint8Array): StudioFailure {
  if (!(err instanceof StudioFailure)) return new StudioFailure('internal', `ffprobe failed on ${file}: ${String(err)}`);
  const why = (err.detail as Partial<ToolFailureDetail> | undefined)?.stderr ?? err.message;
  const name = path.basename(file);
  if (/moov atom not found/i.test(why) && looksLikeIsoMedia(head)) {
    return new StudioFailure('corrupt_media', `${name} is an incomplete MP4/MOV (its index, the "moov atom", is missing — usually an interrupted recording or download). Get the complete file, or repair it with a tool such as untrunc.`);
  }
  if (/Invalid data found when processing input|moov atom not found/i.test(why)) {
    return new StudioFailure('unsupported_media', `${name} is not a media file ffmpeg can read. Choose a video (MP4, MOV, WebM…), an image (PNG, JPEG…) or an audio file.`);
  }
  return err;
}

/** The edge: probe a file on disk. */
export async function probeMedia(ffprobeBin: string, file: string, signal?: AbortSignal): Promise<ProbeDetails> {
  await statMediaFile(file);
  let result;
  try {
    result = await runTool(ffprobeBin, buildProbeArgs(file), { what: `inspecting ${path.basename(file)}`, signal });
  } catch (err) {
    throw probeFailure(file, err, await readHead(file).catch(() => new Uint8Array(0)));
  }
  let parsed: FfprobeOutput;
  try {
    parsed = JSON.parse(result.stdout) as FfprobeOutput;
  } catch {
    throw new StudioFailure('internal', `ffprobe printed unreadable output for ${file}.`);
  }
  return interpretProbe(file, parsed, result.stderr);
}
