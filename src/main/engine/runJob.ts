// One render job, start to finish, inside the render worker:
//   1. the model: its sessions (the demo model is built first when absent or outdated);
//   2. the inputs at the model's size: reference image, DensePose frames (inputs.ts);
//   3. the sampling loop (pipeline.ts), writing final and preview frames into the job folder as
//      they arrive and reporting progress;
//   4. cleanup in `finally`: sessions released, the motion cache removed.
// A soft cancel aborts `signal`; the loop stops before its next network call.
import fs from 'node:fs';
import path from 'node:path';
import type { RenderPhase, RenderProgress } from '../../shared/contract';
import type { RenderParams } from '../../shared/renderParams';
import { StudioFailure } from '../../shared/result';
import { buildDemoModel } from '../compiler/compile';
import { readManifest, NETWORK_NAMES } from '../compiler/manifest';
import { readSafetensorsFile, writeSafetensors } from '../compiler/weights/safetensors';
import type { FfmpegHandle } from '../media/rawFrames';
import { decodeMotion, loadReferenceRgb } from './inputs';
import { JobFolder } from './job';
import type { Tensor } from './networks';
import { loadOrtNetworks, type BankPrecision } from './ortNetworks';
import { runPipeline, type PipelineProgress, type PipelineResult, type PipelineRun } from './pipeline';
import { encodePng, unitChwToRgb } from './png';
import { referenceToVaeInput } from './sampler/layout';
import { saveInputs } from './saveInputs';

export interface RenderJobSpec {
  jobDir: string;
  modelDir: string;
  /** When set and modelDir holds no complete model, the demo model is built into this data dir. */
  demoDataDir?: string;
  ffmpeg: FfmpegHandle;
  motionPath: string;
  referencePath: string;
  params: RenderParams;
  bankPrecision: BankPrecision;
  /** safetensors with init_noise [1, 4, 16, h, w] (replaces the seeded noise). */
  noisePath?: string;
  /** Write final_latents [1, 4, F, h, w] (all padded frames) here. */
  saveLatentsPath?: string;
  /** Write ref_image [H, W, 3] and control_frames [F, H, W, 3] as they enter the networks here. */
  saveInputsPath?: string;
  /** Keep final frames already on disk (resume). */
  resume: boolean;
  previewIntervalMs?: number;
}

export type JobProgress = RenderProgress;

export interface JobSink {
  progress(event: JobProgress): void;
  segment(event: { start: number; end: number; kind: 'final' | 'preview'; step: number }): void;
  log(level: 'info' | 'warn' | 'error', message: string): void;
}

export interface JobSummary {
  frames: number;
  windows: number[][];
  skipped: number;
  unetCalls: number;
  ortMs: number;
  /** Time inside session.run per network. */
  ortMsByNetwork: Record<string, number>;
  /** Wall time of the job's phases: model (build + session loading), inputs (reference + clip), sampling. */
  phasesMs: { model: number; inputs: number; sampling: number };
  totalMs: number;
  provider: string;
}

/** Builds the demo model when the folder is missing or lacks a network this engine needs. */
async function ensureModel(spec: RenderJobSpec, sink: JobSink, signal: AbortSignal): Promise<void> {
  if (!spec.demoDataDir) return;
  try {
    const manifest = readManifest(spec.modelDir);
    if (NETWORK_NAMES.every((n) => manifest.networks.some((e) => e.name === n))) return;
    sink.log('info', 'The demo model is outdated; building it again.');
  } catch {
    sink.log('info', 'Building the demo model (first use).');
  }
  fs.rmSync(spec.modelDir, { recursive: true, force: true });
  let lastPhase = '';
  await buildDemoModel(
    spec.demoDataDir,
    (p) => {
      if (p.phase !== lastPhase) sink.log('info', `demo model: ${p.phase}`);
      lastPhase = p.phase;
    },
    signal,
  );
}

function readNoise(file: string): Tensor {
  const tensors = readSafetensorsFile(file);
  const t = tensors.get('init_noise') ?? (tensors.size === 1 ? [...tensors.values()][0] : undefined);
  if (!t) throw new StudioFailure('invalid_request', `${file}: expected a tensor init_noise [1, 4, 16, h, w]`);
  return { data: t.data, dims: t.shape };
}

function phaseOf(p: PipelineProgress['phase']): RenderPhase {
  return p === 'encode' ? 'encoding' : p === 'decode' ? 'decoding' : 'sampling';
}

/** The loop's callbacks: progress with an ETA, preview and final frames written into the job folder. */
function frameWriters(job: JobFolder, sink: JobSink, steps: number, started: number): Pick<PipelineRun<unknown, unknown>, 'onProgress' | 'onPreview' | 'onSegment'> {
  return {
    onProgress: (p) => {
      const elapsed = (performance.now() - started) / 1000;
      const etaSec = p.fraction > 0.02 ? (elapsed / p.fraction) * (1 - p.fraction) : null;
      sink.progress({ phase: phaseOf(p.phase), step: p.step, steps: p.steps, window: p.window, windows: p.windows, fraction: p.fraction, etaSec });
    },
    onPreview: (p) => {
      p.rgb?.forEach((img, i) => job.writeFrame('preview', p.start + i, encodePng(img.data, img.width, img.height)));
      sink.segment({ start: p.start, end: p.end, kind: 'preview', step: p.step });
    },
    onSegment: (s) => {
      const [, , H, W] = s.frames.dims;
      const size = 3 * H * W;
      for (let i = 0; i < s.end - s.start; i++) {
        job.writeFrame('final', s.start + i, encodePng(unitChwToRgb(s.frames.data.subarray(i * size, (i + 1) * size), H, W), W, H));
      }
      sink.segment({ start: s.start, end: s.end, kind: 'final', step: steps });
    },
  };
}

export async function runRenderJob(spec: RenderJobSpec, sink: JobSink, signal: AbortSignal): Promise<JobSummary> {
  const started = performance.now();
  const job = new JobFolder(spec.jobDir);
  const { params } = spec;
  sink.progress({ phase: 'loading', step: 0, steps: params.steps, window: -1, windows: 0, fraction: 0, etaSec: null });
  const phasesMs = { model: 0, inputs: 0, sampling: 0 };
  let phaseStart = performance.now();
  const lap = (phase: keyof typeof phasesMs): void => {
    const now = performance.now();
    phasesMs[phase] = now - phaseStart;
    phaseStart = now;
  };
  await ensureModel(spec, sink, signal);
  const nets = await loadOrtNetworks({ modelDir: spec.modelDir, provider: params.provider, threads: params.threads, bankPrecision: spec.bankPrecision });
  let control: Awaited<ReturnType<typeof decodeMotion>> | null = null;
  try {
    const { height: h, width: w } = nets.latentSize;
    if (params.width !== w * 8 || params.height !== h * 8) {
      throw new StudioFailure('invalid_request', `The model "${nets.manifest.name}" renders at ${w * 8}×${h * 8}; set the size to ${w * 8}×${h * 8} (asked for ${params.width}×${params.height}).`);
    }
    sink.log('info', `Model ${nets.manifest.name} on ${nets.provider}.`);
    lap('model');
    const size = { width: params.width, height: params.height, fit: params.fit };
    const referenceRgb = await loadReferenceRgb(spec.referencePath, size);
    const reference = referenceToVaeInput(referenceRgb, size.height, size.width);
    control = await decodeMotion(spec.ffmpeg, spec.motionPath, { ...size, range: params.range, cacheFile: job.motionCache, signal });
    if (spec.saveInputsPath) saveInputs(spec.saveInputsPath, referenceRgb, control, size.height, size.width);
    job.update({ frameCount: control.count, status: 'running' });
    lap('inputs');
    const done = spec.resume ? job.finishedFrames().filter((f) => f < control!.count) : [];
    if (done.length) sink.log('info', `Resuming: ${done.length} of ${control.count} frames are already final.`);
    const result = await runPipeline({
      networks: nets,
      reference,
      control,
      params: { steps: params.steps, guidance: params.guidance, seed: params.seed, window: params.window, overlap: params.overlap, fuse: params.fuse, loop: params.loop, padTo16: params.padTo16 },
      initNoise: spec.noisePath ? readNoise(spec.noisePath) : undefined,
      saveLatents: Boolean(spec.saveLatentsPath),
      skipFrames: done,
      signal,
      previewRgb: true,
      previewIntervalMs: spec.previewIntervalMs ?? 500,
      ...frameWriters(job, sink, params.steps, started),
    });
    if (spec.saveLatentsPath && result.finalLatents) {
      writeSafetensors(spec.saveLatentsPath, { final_latents: { shape: [...result.finalLatents.dims], data: result.finalLatents.data } });
    }
    lap('sampling');
    return summarize(result, done.length, nets.stats.ms, phasesMs, started, nets.provider);
  } finally {
    control?.close();
    fs.rmSync(job.motionCache, { force: true });
    await nets.dispose();
  }
}

function summarize(result: PipelineResult, skipped: number, ms: Record<string, number>, phasesMs: JobSummary['phasesMs'], started: number, provider: string): JobSummary {
  return {
    frames: result.frames,
    windows: result.windows.map((w) => [...w]),
    skipped,
    unetCalls: result.calls.unet,
    ortMs: Object.values(ms).reduce((a, b) => a + b, 0),
    ortMsByNetwork: { ...ms },
    phasesMs,
    totalMs: performance.now() - started,
    provider,
  };
}

export const jobDirOf = (dataDir: string, id: string): string => path.join(dataDir, 'jobs', id);
