// Export encoders: a folder of numbered frames (+ optional audio) → MP4, WebM, GIF or a PNG sequence.
// ffmpeg writes to a temporary name in the destination folder, which is moved to the final name
// only after a clean exit; an abort or a failed write removes it, so the final name never holds a
// half-written file. What may be at the final name, and what happens to it, is files/destination.ts's
// rule: nothing is replaced without `overwrite`, and what is replaced goes to the trash.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ExportFormat } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { checkDestination, placeOutput, writeExportMarker, type DestinationKind, type DestinationWording } from '../files/destination';
import { systemTrash, type MoveToTrash, type TrashReceipt } from '../files/trash';
import { failureFromFsError } from './errors';
import { progressArgs, ProgressParser } from './progress';
import type { FfmpegHandle } from './rawFrames';
import { runTool } from './spawn';

export interface EncodeRequest {
  format: ExportFormat;
  framesDir: string;
  /** printf pattern of the frame files (default %06d.png). */
  framePattern?: string;
  /** Frame numbers [start, end). */
  range: { start: number; end: number };
  fps: number;
  /**
   * Audio to mux: a file, or the motion clip itself (its first audio track). Its time 0 lines up
   * with frame 0, so the part under the range is cut out. Ignored for GIF and PNG.
   */
  audioPath?: string | null;
  /** Where in the audio the range starts (default range.start / fps). */
  audioStartSec?: number;
  /**
   * Optional compositing before encoding (scaling, the side-by-side grid): more inputs after the
   * frames (input 0), each given as its own argument list ending in `-i <file>`, and a
   * filter_complex fragment that reads `[0:v]` (and `[1:v]`… for the extra inputs) and ends in
   * `[composed]`. The format's own filters (trim, even size, palette) follow it.
   */
  compose?: { inputs: string[][]; graph: string };
  outPath: string;
  /** Replace an existing file (or an earlier PNG export's folder); the person confirmed. */
  overwrite?: boolean;
  /** Where replaced content goes (only used with overwrite; default: this platform's, files/trash.ts). */
  trash?: MoveToTrash;
  /** How the refusal tells the person to confirm (default: the editor's prompt). */
  wording?: DestinationWording;
  onProgress?: (frame: number, total: number) => void;
  signal?: AbortSignal;
}

const FORMAT_MUXER: Record<Exclude<ExportFormat, 'png'>, string> = { mp4: 'mp4', webm: 'webm', gif: 'gif' };

// NOTE: yuv420p (what every player can show) needs even dimensions; drop a stray last row/column.
const EVEN = 'crop=trunc(iw/2)*2:trunc(ih/2)*2:0:0';

/** The format's filter chain on the one video stream, and its codec arguments. */
function videoEncoding(format: ExportFormat, count: number): { chain: string; codec: string[] } {
  // `trim` picks exactly `count` frames (see buildEncodeArgs for why not only -frames:v).
  const trim = `trim=end_frame=${count}`;
  switch (format) {
    case 'mp4':
      return { chain: `${trim},${EVEN},format=yuv420p`, codec: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-pix_fmt', 'yuv420p', '-movflags', '+faststart'] };
    case 'webm':
      return { chain: `${trim},${EVEN},format=yuv420p`, codec: ['-c:v', 'libvpx-vp9', '-crf', '30', '-b:v', '0', '-row-mt', '1', '-cpu-used', '4', '-pix_fmt', 'yuv420p'] };
    case 'gif':
      // One palette for the whole clip (stats_mode=diff favours what moves), then dithered mapping.
      return { chain: `${trim},split[a][b];[a]palettegen=stats_mode=diff[p];[b][p]paletteuse=dither=sierra2_4a`, codec: ['-loop', '0'] };
    case 'png':
      return { chain: trim, codec: ['-c:v', 'png', '-start_number', '0'] };
  }
}

function videoCodecArgs(format: ExportFormat, count: number): string[] {
  const { chain, codec } = videoEncoding(format, count);
  return format === 'gif' ? ['-filter_complex', `[0:v]${chain}`, ...codec] : ['-vf', chain, ...codec];
}

/** With compositing: the caller's graph ends in `[composed]`, the format's chain takes it to `[vout]`. */
function composedVideoArgs(format: ExportFormat, count: number, graph: string): string[] {
  const { chain, codec } = videoEncoding(format, count);
  return ['-filter_complex', `${graph};[composed]${chain}[vout]`, '-map', '[vout]', ...codec];
}

function audioArgs(format: ExportFormat, durationSec: string, audioInput: number): string[] {
  // The input's -t cuts a long track; apad=whole_dur pads a short one with silence, so the audio
  // is exactly as long as the frames.
  // NOTE: not `-af apad -shortest`: ffmpeg 5.x ends the output as soon as the frame input reaches
  // EOF while x264 still buffers frames, leaving ~50 ms of audio.
  const common = ['-map', `${audioInput}:a:0?`, '-af', `apad=whole_dur=${durationSec}`];
  if (format === 'mp4') return [...common, '-c:a', 'aac', '-b:a', '192k'];
  if (format === 'webm') return [...common, '-c:a', 'libopus', '-b:a', '128k'];
  return [];
}

export const audioSupported = (format: ExportFormat) => format === 'mp4' || format === 'webm';

/** Pure: the full ffmpeg argument list writing to `target` (a file, or a folder for png). */
export function buildEncodeArgs(req: EncodeRequest, target: string): string[] {
  const count = req.range.end - req.range.start;
  const input = [
    '-framerate', String(req.fps), '-start_number', String(req.range.start),
    '-i', path.join(req.framesDir, req.framePattern ?? '%06d.png'),
  ];
  const withAudio = Boolean(req.audioPath) && audioSupported(req.format);
  const durationSec = (count / req.fps).toFixed(6);
  const audioStart = req.audioStartSec ?? req.range.start / req.fps;
  const audioInput = withAudio ? ['-ss', audioStart.toFixed(6), '-t', durationSec, '-i', req.audioPath as string] : [];
  const extraInputs = req.compose?.inputs.flat() ?? [];
  const audioIndex = 1 + (req.compose?.inputs.length ?? 0);
  const output =
    req.format === 'png'
      ? ['-f', 'image2', path.join(target, '%06d.png')]
      : ['-f', FORMAT_MUXER[req.format], target];
  return [
    '-hide_banner', '-v', 'error', '-nostdin', '-y', ...input, ...extraInputs, ...audioInput,
    // NOTE: -frames:v closes the whole output once the video count is reached, cutting the audio
    // short (x264 buffers frames); so it only stops reading early when there is no audio.
    ...(req.compose ? [] : ['-map', '0:v:0']), ...(withAudio ? [] : ['-frames:v', String(count)]),
    ...(req.compose ? composedVideoArgs(req.format, count, req.compose.graph) : videoCodecArgs(req.format, count)),
    ...(withAudio ? audioArgs(req.format, durationSec, audioIndex) : ['-an']),
    ...progressArgs(), ...output,
  ];
}

/** Temporary sibling of the final path: same folder (so rename is atomic), hidden, unique. */
export function tempSibling(outPath: string, format: ExportFormat): string {
  const ext = format === 'png' ? '' : `.${format}`;
  return path.join(path.dirname(outPath), `.${path.basename(outPath)}.${randomBytes(4).toString('hex')}.partial${ext}`);
}

async function validate(req: EncodeRequest): Promise<void> {
  const { start, end } = req.range;
  if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end > start)) {
    throw new StudioFailure('invalid_request', `Export range ${start}–${end} is empty or invalid; choose at least one frame.`);
  }
  if (!(req.fps > 0)) throw new StudioFailure('invalid_request', `Export frame rate ${req.fps} is not valid.`);
  const dir = await stat(path.dirname(req.outPath)).catch(() => null);
  if (!dir?.isDirectory()) throw new StudioFailure('not_found', `The folder ${path.dirname(req.outPath)} does not exist. Choose another destination.`);
  await checkDestination(req.outPath, destinationKind(req.format), Boolean(req.overwrite), req.wording);
}

export const destinationKind = (format: ExportFormat): DestinationKind => (format === 'png' ? 'sequence' : 'file');

/** Checks the request and its destination without encoding (export.start answers at once). */
export const checkEncodeRequest = (req: EncodeRequest): Promise<void> => validate(req);

export interface EncodeResult {
  path: string;
  /** Where the replaced destination went, when `overwrite` replaced one. */
  replaced: TrashReceipt | null;
}

/** The edge: encode and move into place. */
export async function encodeFrames(ffmpeg: FfmpegHandle, req: EncodeRequest): Promise<EncodeResult> {
  await validate(req);
  const temp = tempSibling(req.outPath, req.format);
  const total = req.range.end - req.range.start;
  const parser = new ProgressParser();
  try {
    if (req.format === 'png') await mkdir(temp);
    await runTool(ffmpeg.bin, buildEncodeArgs(req, temp), {
      what: `exporting ${path.basename(req.outPath)}`,
      signal: req.signal,
      onStdoutLine: (line) => {
        const p = parser.push(line);
        if (p) req.onProgress?.(Math.min(p.frame, total), total);
      },
    });
    if (req.format === 'png') await writeExportMarker(temp);
    const replaced = await placeOutput(temp, req.outPath, destinationKind(req.format), {
      overwrite: Boolean(req.overwrite), trash: req.trash ?? systemTrash(), wording: req.wording,
    });
    return { path: req.outPath, replaced };
  } catch (err) {
    throw failureFromFsError(err, `writing ${req.outPath}`);
  } finally {
    await rm(temp, { recursive: true, force: true }).catch(() => undefined);
  }
}
