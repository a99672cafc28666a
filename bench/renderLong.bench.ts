// Issue "Render engine", at the target configuration: a 960-frame clip, 25 steps, open windows
// 16/4, on a 64-px build of the demo model (the same tiny networks with 8×8 latents, so the 2000
// UNet3D calls fit in minutes on a 2-core CPU). Reports the first final segment's share of the
// render, the worker's peak RSS for 96 vs 960 frames, and the time spent outside ORT runs.
// BENCH_LONG_FRAMES overrides 960 (e.g. for a quick look).
// Last run here (2 cores, otherwise idle, 641 s): 960 frames 574.0 s, first final segment at 94.6 s
// = 16.5%; outside ORT 4.8% of the job (3.9% of the sampling loop); peak RSS 309 vs 300 MiB (1.03).
// (An earlier session's machine took 311 s for the same run, at 15.4%.)
// The first segment waits for the wavefront's dependency triangle: window 0's last step needs
// windows 0..24 at steps 24..0, 325 of the 2000 (window, step) pairs (16.3% of the UNet calls;
// the time share is a little lower since later segments' VAE decoding follows).
// NOTE: other load on the machine skews it (an earlier run next to a test suite gave 24.9%).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildDemoModel } from '../src/main/compiler/compile';
import { locateMediaTools } from '../src/main/media/locate';
import { RenderService } from '../src/main/services/renderService';
import { forkSpawner } from '../src/main/worker/host';
import { renderOnce, type RunFigures } from './render.bench';

export const description = '960 frames × 25 steps, open windows 16/4, 64-px demo model: first segment share, peak RSS 96 vs 960, outside-ORT share';

const SAMPLES = path.resolve(import.meta.dirname, '../../shared/data/magicanimate-samples');
const LONG = Number(process.env.BENCH_LONG_FRAMES ?? 960);
const SIZE = 64;
const STEPS = 25;

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;
const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** `target`: whether the targets apply to this run (the 960-frame one; 96 is the RSS baseline). */
function report(label: string, f: RunFigures, target: boolean): void {
  const s = f.done.summary!;
  // A short clip's first segment waits for most of the render: the dependency triangle spans it.
  const segmentTarget = target ? ' (target < 20%)' : ' (no target: the triangle spans the short clip)';
  console.log(`   ${label}: total ${sec(f.totalMs)}, first final segment at ${sec(f.firstFinalMs)} = ${pct(f.firstFinalMs / f.totalMs)} of the render${segmentTarget}`);
  console.log(`   ${label}: outside ORT runs ${pct(1 - s.ortMs / s.totalMs)} of the job, ${pct(1 - s.ortMs / s.phasesMs.sampling)} of the sampling loop (target < 5%); peak RSS ${mib(f.done.peakRssBytes ?? Number.NaN)}`);
}

export async function run(): Promise<void> {
  const tools = await locateMediaTools();
  if (!tools.ffmpeg) throw new Error('the render benchmark needs ffmpeg');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-render-long-'));
  try {
    await buildDemoModel(dataDir, () => {}, undefined, SIZE / 8);
    const clip = path.join(dataDir, 'long.mp4');
    const loops = Math.ceil(LONG / 42);
    execFileSync(tools.ffmpeg.path, ['-v', 'error', '-stream_loop', String(loops), '-i', path.join(SAMPLES, 'running.mp4'), '-frames:v', String(LONG), '-vf', `scale=${SIZE}:${SIZE}`, '-c:v', 'libx264', '-crf', '12', clip]);
    const service = new RenderService({ dataDir, emit: () => {}, spawner: forkSpawner(), ffmpeg: { bin: tools.ffmpeg.path, version: tools.ffmpeg.version } });
    const short = await renderOnce(service, clip, 96, STEPS, SIZE);
    report('96 frames', short, false);
    const long = await renderOnce(service, clip, LONG, STEPS, SIZE);
    report(`${LONG} frames`, long, true);
    const ratio = (long.done.peakRssBytes ?? Number.NaN) / (short.done.peakRssBytes ?? Number.NaN);
    console.log(`   worker peak RSS ${LONG} vs 96 frames: ratio ${ratio.toFixed(2)} (target < 1.5)`);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
