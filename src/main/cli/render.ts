// npm run render -- --reference IMG --motion CLIP|FOLDER --out OUT.mp4|FOLDER [options]   (see RENDER_USAGE)
//
// Runs one render job through the same RenderService and worker process as the editor, with a
// progress bar on stderr, then delivers the job's final frames: a folder of lossless PNGs, or a
// video encoded by src/main/media at the motion clip's frame rate. The demo model is built into
// the data folder on first use. Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExportFormat } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { MANIFEST_FILE, manifestFrameSize, readManifest } from '../compiler/manifest';
import { describeMemoryPlan, memoryPlan } from '../compiler/memoryPlan';
import { deviceMemory } from '../engine/deviceMemory';
import type { ProviderName } from '../engine/runtime';
import { nativeFrameSize, type FrameSize } from '../compiler/networkPlan';
import { TINY_CONFIGS } from '../compiler/presets';
import { JobFolder } from '../engine/job';
import { checkDestination, placeOutput, writeExportMarker, type DestinationKind, type DestinationWording } from '../files/destination';
import { systemTrash, type TrashReceipt } from '../files/trash';
import { encodeFrames } from '../media/encode';
import { locateMediaTools } from '../media/locate';
import type { FfmpegHandle } from '../media/rawFrames';
import { resolveDataDir } from '../paths';
import { RenderService } from '../services/renderService';
import { forkSpawner } from '../worker/host';
import type { WorkerDone, WorkerEvent } from '../worker/protocol';
import { renderBar } from './progressBar';
import { parseRenderArgs, RENDER_USAGE, UsageError, type RenderCliOptions } from './renderArgs';

const VIDEO_FORMATS: Record<string, ExportFormat> = { '.mp4': 'mp4', '.webm': 'webm', '.gif': 'gif' };

/** The model's native size, for when --size is not given (the demo: its tiny configuration). */
function nativeSize(service: RenderService, options: RenderCliOptions): FrameSize {
  const model = service.modelDirOf(options.params.model);
  try {
    return manifestFrameSize(readManifest(model.dir));
  } catch (error) {
    if (model.demo) return nativeFrameSize(TINY_CONFIGS);
    throw error;
  }
}

/**
 * "needs about X GB on the GPU …" for the chosen model and window, against the device's free memory
 * where the provider reports it; null when the model folder is not built yet (the demo's first run).
 */
function memoryLine(service: RenderService, o: RenderCliOptions): string | null {
  const model = service.modelDirOf(o.params.model);
  if (!fs.existsSync(path.join(model.dir, MANIFEST_FILE))) return null;
  const plan = memoryPlan(readManifest(model.dir), { window: o.params.window });
  // 'auto' picks a GPU when one answers (nvidia-smi here), else the CPU; dml/webgpu report no free memory.
  const gpu = o.params.provider === 'auto' ? deviceMemory('cuda') : null;
  const provider: ProviderName = o.params.provider === 'auto' ? (gpu ? 'cuda' : 'cpu') : o.params.provider;
  return describeMemoryPlan(plan, provider === 'cpu' ? 'CPU' : 'GPU', gpu ?? deviceMemory(provider));
}

function progressLine(stream: NodeJS.WriteStream): (event: WorkerEvent) => void {
  let last = 0;
  let lastLabel = '';
  return (event) => {
    if (event.type === 'log') stream.write(`${stream.isTTY ? '\r\x1b[2K' : ''}${event.level}: ${event.message}\n`);
    if (event.type !== 'progress') return;
    const eta = event.etaSec === null ? '' : ` eta ${Math.round(event.etaSec)}s`;
    const label = `${event.phase} step ${event.step}/${event.steps}${event.window >= 0 ? ` window ${event.window + 1}/${event.windows}` : ''}${eta}`;
    const now = Date.now();
    if (stream.isTTY) {
      if (now - last < 100 && event.fraction < 1) return;
      stream.write(`\r\x1b[2K${renderBar(event.fraction, label)}`);
    } else {
      // Plain lines for pipes and files: one per phase change, then about every 2 seconds.
      if (event.phase === lastLabel && now - last < 2000) return;
      lastLabel = event.phase;
      stream.write(`${renderBar(event.fraction, label)}\n`);
    }
    last = now;
  };
}

// Like ffmpeg without -y: an existing --out is refused, and the message names the flag.
const CLI_WORDING: DestinationWording = { confirm: 'pass --overwrite (the old one goes to the trash)' };
const outKind = (outPath: string): DestinationKind => (VIDEO_FORMATS[path.extname(outPath).toLowerCase()] ? 'file' : 'sequence');

/** Copies the job's final PNGs (lossless) into a temporary folder, then places it as `out`. */
async function deliverFolder(job: JobFolder, count: number, o: RenderCliOptions): Promise<TrashReceipt | null> {
  const temp = path.join(path.dirname(o.outPath), `.${path.basename(o.outPath)}.partial-${process.pid}`);
  fs.rmSync(temp, { recursive: true, force: true }); // our own name (hidden, with our pid)
  fs.mkdirSync(temp, { recursive: true });
  try {
    for (let i = 0; i < count; i++) fs.copyFileSync(job.framePath('final', i), path.join(temp, path.basename(job.framePath('final', i))));
    await writeExportMarker(temp);
    return await placeOutput(temp, o.outPath, 'sequence', { overwrite: o.overwrite, trash: systemTrash(), wording: CLI_WORDING });
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

async function deliver(job: JobFolder, o: RenderCliOptions, ffmpeg: FfmpegHandle): Promise<TrashReceipt | null> {
  const { frameCount: count, fps: clipFps } = job.read();
  const format = VIDEO_FORMATS[path.extname(o.outPath).toLowerCase()];
  if (!format) return deliverFolder(job, count, o);
  const fps = clipFps > 0 ? clipFps : 25; // numbered PNGs carry no rate
  const request = { format, framesDir: path.join(job.dir, 'final'), range: { start: 0, end: count }, fps, outPath: o.outPath };
  return (await encodeFrames(ffmpeg, { ...request, overwrite: o.overwrite, wording: CLI_WORDING })).replaced;
}

async function run(o: RenderCliOptions): Promise<number> {
  // Make the destination's folder now, not after a long render that would then fail to deliver,
  // and refuse an existing --out before rendering (checked again when delivering).
  fs.mkdirSync(path.dirname(path.resolve(o.outPath)), { recursive: true });
  await checkDestination(o.outPath, outKind(o.outPath), o.overwrite, CLI_WORDING);
  const tools = await locateMediaTools();
  if (!tools.ffmpeg) throw new StudioFailure('not_available', tools.notes.join(' '));
  const ffmpeg: FfmpegHandle = { bin: tools.ffmpeg.path, version: tools.ffmpeg.version };
  const dataDir = resolveDataDir(o.dataDir);
  const service = new RenderService({ dataDir, emit: () => {}, spawner: forkSpawner(), ffmpeg, ffprobeBin: tools.ffprobe?.path ?? null });
  if (!o.sizeGiven) {
    o.params = { ...o.params, ...nativeSize(service, o) };
  }
  const memory = memoryLine(service, o);
  if (memory) process.stderr.write(`model ${memory}\n`);
  const draw = progressLine(process.stderr);
  const job = await service.startJob({ ...o, onEvent: draw });
  let interrupts = 0;
  const onSignal = () => {
    interrupts++;
    process.stderr.write(interrupts === 1 ? '\ncancelling at the next network call (Ctrl-C again to stop at once)\n' : '\nstopping\n');
    service.cancel(job.jobId, interrupts > 1);
  };
  process.on('SIGINT', onSignal);
  let done: WorkerDone;
  try {
    done = (await service.whenDone(job.jobId)) as WorkerDone;
  } finally {
    process.off('SIGINT', onSignal);
    if (process.stderr.isTTY) process.stderr.write('\n');
  }
  if (o.reportPath) fs.writeFileSync(o.reportPath, `${JSON.stringify({ jobId: job.jobId, jobDir: job.dir, ...done }, null, 2)}\n`);
  if (done.status === 'aborted') {
    process.stderr.write(`cancelled; finished frames are kept in ${job.dir}\n`);
    return 130;
  }
  if (done.status === 'error') {
    process.stderr.write(`error (${done.error?.code}): ${done.error?.message}\n`);
    return 1;
  }
  const folder = JobFolder.open(path.dirname(job.dir), job.jobId);
  const replaced = await deliver(folder, o, ffmpeg);
  if (replaced) process.stderr.write(`the previous ${o.outPath} was moved to ${replaced.to === 'trash' ? 'the trash' : 'a backup'}: ${replaced.path}\n`);
  const s = done.summary;
  process.stdout.write(`rendered ${s?.frames ?? '?'} frames into ${o.outPath} in ${((s?.totalMs ?? 0) / 1000).toFixed(1)} s (job ${job.jobId})\n`);
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  let options: RenderCliOptions | null;
  try {
    options = parseRenderArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`error: ${error.message}\n\n${RENDER_USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(RENDER_USAGE);
    return 0;
  }
  try {
    return await run(options);
  } catch (error) {
    if (error instanceof StudioFailure) {
      process.stderr.write(`error (${error.code}): ${error.message}\n`);
      return error.code === 'cancelled' ? 130 : 1;
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
