// Issue "Render engine": streaming, memory and overhead of a render job, measured through the real
// RenderService + forked worker on the demo model (tiny configuration, 128×128, open windows 16/4).
//
// NOTE: at 128 px the target configuration (960 frames × 25 steps) is 2000 UNet3D calls of about
// 2.5 s each on this 2-core machine; bench/renderLong.bench.ts measures it on a 64-px build. Here
// the figures are taken at scaled-down sizes (printed with each figure):
//   - first final segment: 192 frames × 4 steps (16 windows); with the wavefront order its share is
//     about steps / (2 · windows), so the schedule-only share of 960 × 25 is printed next to it;
//   - worker peak RSS: 96 vs 960 frames at 1 step;
//   - time outside ORT session runs: share of the 192-frame job's wall time.
// BENCH_REPEATS (default 1) repeats each run; medians are printed. Last run here (2 shared cores,
// CPU, ~6 min): first final 20.0% (schedule 15.6%; 960×25 schedule 16.3%), outside ORT 7.3% whole
// job / 4.1% sampling loop, peak RSS 715 vs 725 MiB (ratio 1.01).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoModel } from '../src/main/compiler/compile';
import { contextWindows } from '../src/main/engine/sampler/contextWindows';
import { wavefrontOrder } from '../src/main/engine/sampler/wavefront';
import { locateMediaTools } from '../src/main/media/locate';
import { RenderService } from '../src/main/services/renderService';
import { defaultRenderParams } from '../src/shared/renderParams';
import { forkSpawner } from '../src/main/worker/host';
import type { WorkerDone } from '../src/main/worker/protocol';
import { median } from './stats';

export const description = 'render job: first final segment share, worker peak RSS 96 vs 960 frames, time outside ORT runs';

const SAMPLES = path.resolve(import.meta.dirname, '../../shared/data/magicanimate-samples');
const REPEATS = Math.max(1, Number(process.env.BENCH_REPEATS ?? 1));

export interface RunFigures {
  firstFinalMs: number;
  totalMs: number;
  done: WorkerDone;
}

/** One render through the service and a forked worker; the job folder is removed afterwards. */
export async function renderOnce(service: RenderService, motionPath: string, frames: number, steps: number, size = 128): Promise<RunFigures> {
  const params = defaultRenderParams({ width: size, height: size, steps, window: 16, overlap: 4, range: { start: 0, end: frames }, provider: 'cpu', threads: 2 });
  const started = performance.now();
  let firstFinalMs = Number.NaN;
  const job = await service.startJob({
    motionPath,
    referencePath: path.join(SAMPLES, 'monalisa.png'),
    params,
    onEvent: (e) => {
      if (e.type === 'segment' && e.kind === 'final' && Number.isNaN(firstFinalMs)) firstFinalMs = performance.now() - started;
    },
  });
  const done = (await service.whenDone(job.jobId))!;
  if (done.status !== 'success') throw new Error(`bench render failed: ${done.error?.message ?? done.status}`);
  fs.rmSync(job.dir, { recursive: true, force: true });
  return { firstFinalMs, totalMs: performance.now() - started, done };
}

/** Share of the UNet calls that precede the first final window in the wavefront order (schedule only). */
function scheduleShare(frames: number, steps: number): number {
  const windows = contextWindows(frames, 16, 4, 'open');
  const order = wavefrontOrder(frames, windows, steps);
  const firstFinal = order.findIndex((item) => item.window === 0 && item.step === steps - 1);
  return (firstFinal + 1) / order.length;
}

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

async function repeat(n: number, once: () => Promise<RunFigures>): Promise<RunFigures[]> {
  const runs: RunFigures[] = [];
  for (let i = 0; i < n; i++) runs.push(await once());
  return runs;
}

export async function run(): Promise<void> {
  const tools = await locateMediaTools();
  if (!tools.ffmpeg) throw new Error('the render benchmark needs ffmpeg');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-'));
  try {
    await buildDemoModel(dataDir);
    // A 960-frame DensePose clip: running.mp4 (42 frames) looped, at the model's size.
    const longClip = path.join(dataDir, 'long.mp4');
    execFileSync(tools.ffmpeg.path, ['-v', 'error', '-stream_loop', '30', '-i', path.join(SAMPLES, 'running.mp4'), '-frames:v', '960', '-vf', 'scale=128:128', '-c:v', 'libx264', '-crf', '12', longClip]);
    const service = new RenderService({ dataDir, emit: () => {}, spawner: forkSpawner(), ffmpeg: { bin: tools.ffmpeg.path, version: tools.ffmpeg.version } });

    const stream = await repeat(REPEATS, () => renderOnce(service, longClip, 192, 4));
    const share = median(stream.map((r) => r.firstFinalMs / r.totalMs));
    console.log(`   first final segment, 192 frames × 4 steps: ${(median(stream.map((r) => r.firstFinalMs)) / 1000).toFixed(1)} s of ${(median(stream.map((r) => r.totalMs)) / 1000).toFixed(1)} s = ${pct(share)} (target < 20%)`);
    console.log(`   schedule-only share of UNet calls before the first final window: 192×4 ${pct(scheduleShare(192, 4))}, 960×25 ${pct(scheduleShare(960, 25))}`);
    const outside = median(stream.map((r) => 1 - r.done.summary!.ortMs / r.done.summary!.totalMs));
    const loop = median(stream.map((r) => 1 - r.done.summary!.ortMs / r.done.summary!.phasesMs.sampling));
    const loading = median(stream.map((r) => r.done.summary!.phasesMs.model));
    console.log(`   time outside ORT session runs: whole job ${pct(outside)} (incl. ${(loading / 1000).toFixed(1)} s of session loading), sampling loop ${pct(loop)} (target < 5%)`);

    const small = await repeat(REPEATS, () => renderOnce(service, longClip, 96, 1));
    const large = await repeat(REPEATS, () => renderOnce(service, longClip, 960, 1));
    const rssSmall = median(small.map((r) => r.done.peakRssBytes ?? Number.NaN));
    const rssLarge = median(large.map((r) => r.done.peakRssBytes ?? Number.NaN));
    console.log(`   worker peak RSS, 1 step: 96 frames ${mib(rssSmall)}, 960 frames ${mib(rssLarge)}, ratio ${(rssLarge / rssSmall).toFixed(2)} (target < 1.5)`);
    const outsideLarge = median(large.map((r) => 1 - r.done.summary!.ortMs / r.done.summary!.totalMs));
    console.log(`   time outside ORT session runs, 960 frames × 1 step: ${pct(outsideLarge)}`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
