// The unrolled sampling loop of MagicAnimate (Xu et al. 2023, arXiv 2311.16498, §3 and the
// official AnimationPipeline.__call__), with the networks passed in (networks.ts):
//   1. prepare: pad the clip, DDIM timesteps, context windows, initial noise, the work order;
//   2. encode the reference: z_ref = E(I_ref)·0.18215;
//   3. for each (window, step) in order: the step's reference bank (appearance encoder, once per
//      step), the window frames' ControlNet residuals (once per frame per step), the UNet3D on
//      [uncond, cond], then per frame: fuse the windows, classifier-free guidance, DDIM step;
//   4. decode each frame (VAE) as soon as it is final, and stream it out as a segment.
//
// Resume (`skipFrames`): frames already final on disk are not decoded, and every (window, step)
// pair outside the backward dependency cone of the remaining frames is skipped (requiredWork).
// With open windows and the wavefront order this skips most of the work for a finished prefix;
// with closed (wrapping) windows every frame soon depends on every window, so little is skipped.
import type { FuseMode } from '../../shared/renderParams';
import { StudioFailure } from '../../shared/result';
import { assertDims, type ControlSource, type PipelineNetworks, type Tensor } from './networks';
import { contextWindows, windowsCoveringFrames, type ContextWindow } from './sampler/contextWindows';
import { ddimStep, ddimTables } from './sampler/ddim';
import { FrameLedger } from './sampler/frameLedger';
import { windowWeights } from './sampler/fuseWeights';
import {
  decodedToUnit,
  LATENT_SCALE,
  scaleLatents,
  concatFrames,
  contiguousRuns,
  stackFrames,
  toVideoLayout,
  windowInput,
  windowOutputFrame,
} from './sampler/layout';
import { noiseBlockFromTensor, seededNoiseBlock, tileNoise } from './sampler/noise';
import { latentsToRgb, type PreviewImage } from './sampler/preview';
import { CountedCache, frameStepKey } from './sampler/stepCaches';
import { requiredWork, stepMajorOrder, wavefrontOrder, type WorkItem } from './sampler/wavefront';

export interface SamplingParams {
  steps: number;
  guidance: number;
  seed: number;
  window: number;
  overlap: number;
  fuse: FuseMode;
  /** Closed-loop windows (official) or open ones. */
  loop: boolean;
  /** Edge-pad the clip to a multiple of 16 frames (official). */
  padTo16: boolean;
}

export interface PipelineProgress {
  phase: 'encode' | 'denoise' | 'decode';
  /** Steps completed by every frame still being computed. */
  step: number;
  steps: number;
  /** The (window, step) pair just run, when phase is 'denoise'. */
  window: number;
  windowStep: number;
  windows: number;
  /** 0 … 1, never decreasing. */
  fraction: number;
}

export interface PipelinePreview {
  /** Frames [start, end) of the clip. */
  start: number;
  end: number;
  /** Steps completed by these frames. */
  step: number;
  /** The DDIM x̂0 estimate per frame, [4, h, w], pipeline scale. */
  x0: Float32Array[];
  /** Cheap RGB of x0 (SD1.5 latent-to-RGB factors), when `previewRgb` is set. */
  rgb?: PreviewImage[];
}

export interface PipelineSegment {
  start: number;
  end: number;
  /** [end − start, 3, H, W] in [0, 1]. */
  frames: Tensor;
}

export interface PipelineRun<Bank, Residual> {
  networks: PipelineNetworks<Bank, Residual>;
  /** Reference image [1, 3, H, W] in [−1, 1] (layout.referenceToVaeInput). */
  reference: Tensor;
  control: ControlSource;
  params: SamplingParams;
  /** 'wavefront' (default) streams early windows out first; 'stepMajor' is the official order. */
  order?: 'wavefront' | 'stepMajor';
  /** Wavefront only: how many steps the leading window may run ahead (bounds banks in flight). */
  maxLag?: number;
  /** Initial noise block [1, 4, 16, h, w] instead of the seeded one. */
  initNoise?: Tensor;
  /** Return the final latents of every (padded) frame as [1, 4, F, h, w]. */
  saveLatents?: boolean;
  /** Frames already final on disk: neither recomputed beyond need nor decoded. */
  skipFrames?: Iterable<number>;
  /** Frames per VAE decode call (default 1, as the official decode_latents). */
  decodeBatch?: number;
  signal?: AbortSignal;
  onProgress?: (event: PipelineProgress) => void;
  onPreview?: (event: PipelinePreview) => void;
  onSegment?: (event: PipelineSegment) => void | Promise<void>;
  /** Minimum milliseconds between previews (default 0: after every window). */
  previewIntervalMs?: number;
  previewRgb?: boolean;
}

export interface PipelineResult {
  /** Frames of the clip, and after padding. */
  frames: number;
  paddedFrames: number;
  timesteps: number[];
  windows: ContextWindow[];
  /** The (window, step) pairs that ran, in order. */
  order: WorkItem[];
  calls: { appearance: number; controlnetFrames: number; unet: number; decodedFrames: number };
  /** Most ControlNet per-frame results held at once. */
  residualPeak: number;
  finalLatents?: Tensor;
}

/** Work units of a decoded frame relative to one UNet window call (for `fraction` only). */
const DECODE_WEIGHT = 0.25;

export async function runPipeline<Bank, Residual>(run: PipelineRun<Bank, Residual>): Promise<PipelineResult> {
  const { networks: nets, params, control, signal } = run;
  const guard = (): void => {
    if (signal?.aborted) throw new StudioFailure('cancelled', 'The render was cancelled.');
  };

  // ── 1. prepare ────────────────────────────────────────────────────────────────────────────
  if (control.count < 1) throw new StudioFailure('invalid_request', 'The motion clip has no frames.');
  const frames = control.count;
  const paddedFrames = params.padTo16 ? Math.ceil(frames / 16) * 16 : frames;
  const tables = ddimTables(params.steps);
  const windows = contextWindows(paddedFrames, params.window, params.overlap, params.loop ? 'closed' : 'open');
  const covering = windowsCoveringFrames(paddedFrames, windows);
  const weights = windowWeights(windows, params.overlap, params.fuse);
  const skip = new Set([...(run.skipFrames ?? [])].filter((f) => f >= 0 && f < frames));
  if (skip.size > 0 && run.saveLatents) {
    throw new StudioFailure('invalid_request', 'saveLatents needs a full render: it cannot be combined with skipFrames.');
  }
  const wanted = new Set([...Array(paddedFrames).keys()].filter((f) => f < frames && !skip.has(f)));
  // With saveLatents every padded frame must come out right, not only the decoded ones.
  const required = requiredWork(paddedFrames, windows, params.steps, run.saveLatents ? new Set(Array(paddedFrames).keys()) : wanted);
  const fullOrder =
    run.order === 'stepMajor'
      ? stepMajorOrder(windows.length, params.steps)
      : wavefrontOrder(paddedFrames, windows, params.steps, run.maxLag);
  const order = fullOrder.filter(({ window, step }) => required[step][window]);
  const ledger = new FrameLedger(covering, windows, weights, required);
  const usesAt = (frame: number, step: number): number => covering[frame].filter((k) => required[step][k]).length;
  const banks = new CountedCache<number, Bank>((value) => nets.release?.({ kind: 'bank', value }));
  const residuals = new CountedCache<string, Residual>((value) => nets.release?.({ kind: 'residual', value }));
  const calls = { appearance: 0, controlnetFrames: 0, unet: 0, decodedFrames: 0 };
  const totalUnits = order.length + wanted.size * DECODE_WEIGHT;
  let unitsDone = 0;
  const progress = (phase: PipelineProgress['phase'], item: WorkItem | null): void => {
    guard();
    run.onProgress?.({
      phase,
      step: ledger.minLevel(wanted),
      steps: params.steps,
      window: item?.window ?? -1,
      windowStep: item?.step ?? -1,
      windows: windows.length,
      fraction: totalUnits === 0 ? 1 : Math.min(1, unitsDone / totalUnits),
    });
  };

  try {
    // ── 2. encode the reference: z_ref = mean(E(I_ref)) · 0.18215 ─────────────────────────────
    guard();
    const mean = await nets.vaeEncode(run.reference);
    const [, channels, h, w] = mean.dims;
    assertDims(mean, [1, 4, h, w], 'vaeEncode output');
    const refLatents: Tensor = { data: scaleLatents(mean.data, LATENT_SCALE), dims: mean.dims };
    const block = run.initNoise
      ? noiseBlockFromTensor(run.initNoise.data, run.initNoise.dims)
      : seededNoiseBlock(params.seed, channels, h, w);
    if (block.channels !== channels || block.height !== h || block.width !== w) {
      throw new StudioFailure('invalid_request', `The initial noise is ${block.channels}×${block.height}×${block.width}, the latents ${channels}×${h}×${w}.`);
    }
    const latents = tileNoise(block, paddedFrames); // init_noise_sigma = 1 for DDIM
    progress('encode', null);
    let lastPreview = Number.NEGATIVE_INFINITY;

    // ── 3. denoise: (window, step) pairs in dependency order ──────────────────────────────────
    for (const item of order) {
      const { window: k, step } = item;
      const t = tables.timesteps[step];
      const frameList = windows[k];
      // 3a. the reference bank of this step: appearance encoder once per step
      if (!banks.has(step)) {
        guard();
        banks.put(step, await nets.appearance(refLatents, t), required[step].filter(Boolean).length);
        calls.appearance++;
      }
      // 3b. ControlNet residuals of the window's frames not yet computed at this step
      const missing = frameList.filter((f) => !residuals.has(frameStepKey(f, step)));
      if (missing.length > 0) {
        const conditioning: Tensor[] = [];
        for (const f of missing) conditioning.push(await control.frame(Math.min(f, frames - 1))); // edge padding
        guard();
        const made = await nets.controlnet(
          stackFrames(missing.map((f) => latents[f]), channels, h, w),
          t,
          stackFrames(conditioning.map((c) => c.data), 3, conditioning[0].dims[1], conditioning[0].dims[2]),
        );
        if (made.length !== missing.length) throw new StudioFailure('internal', `ControlNet returned ${made.length} results for ${missing.length} frames.`);
        missing.forEach((f, i) => residuals.put(frameStepKey(f, step), made[i], usesAt(f, step)));
        calls.controlnetFrames += missing.length;
      }
      // 3c. UNet3D on [uncond, cond]
      ledger.assertCurrent(frameList, step);
      guard();
      const eps2 = await nets.unet(
        windowInput(frameList.map((f) => latents[f]), channels, h, w),
        t,
        banks.get(step),
        frameList.map((f) => residuals.get(frameStepKey(f, step))),
      );
      calls.unet++;
      assertDims(eps2, [2, channels, frameList.length, h, w], 'unet output');
      banks.used(step);
      frameList.forEach((f) => residuals.used(frameStepKey(f, step)));
      // 3d. per frame, once every covering window has delivered: fuse, CFG, DDIM step (eq. 12)
      const advanced: { frame: number; x0: Float32Array }[] = [];
      frameList.forEach((f, j) => {
        const ready = ledger.add(k, j, step, windowOutputFrame(eps2, j), params.guidance);
        if (ready?.kind !== 'fused') return;
        const { prev, x0 } = ddimStep(tables, ready.eps, t, latents[f]);
        latents[f] = prev;
        advanced.push({ frame: f, x0 });
      });
      unitsDone++;
      progress('denoise', item);
      const now = Date.now();
      if (run.onPreview && advanced.length > 0 && now - lastPreview >= (run.previewIntervalMs ?? 0)) {
        lastPreview = now;
        emitPreviews(run, advanced.filter((a) => a.frame < frames), step + 1, h, w, guard);
      }
      // ── 4. decode the frames that just became final ───────────────────────────────────────
      const final = advanced.map((a) => a.frame).filter((f) => ledger.level[f] === params.steps && wanted.has(f));
      for (const [start, end] of contiguousRuns(final, Number.POSITIVE_INFINITY)) {
        const decoded: Tensor[] = [];
        for (let from = start; from < end; from += run.decodeBatch ?? 1) {
          const to = Math.min(end, from + (run.decodeBatch ?? 1));
          guard();
          const scaled = latents.slice(from, to).map((l) => scaleLatents(l, 1 / LATENT_SCALE));
          decoded.push(decodedToUnit(await nets.vaeDecode(stackFrames(scaled, channels, h, w))));
          calls.decodedFrames += to - from;
          unitsDone += (to - from) * DECODE_WEIGHT;
        }
        guard();
        await run.onSegment?.({ start, end, frames: concatFrames(decoded) });
        progress('decode', item);
      }
    }
    return {
      frames,
      paddedFrames,
      timesteps: tables.timesteps.slice(),
      windows,
      order,
      calls,
      residualPeak: residuals.peak,
      finalLatents: run.saveLatents ? toVideoLayout(latents, channels, h, w) : undefined,
    };
  } finally {
    banks.clear();
    residuals.clear();
  }
}

function emitPreviews<B, R>(
  run: PipelineRun<B, R>,
  advanced: readonly { frame: number; x0: Float32Array }[],
  step: number,
  h: number,
  w: number,
  guard: () => void,
): void {
  const byFrame = new Map(advanced.map((a) => [a.frame, a.x0]));
  for (const [start, end] of contiguousRuns([...byFrame.keys()], Number.POSITIVE_INFINITY)) {
    const x0 = Array.from({ length: end - start }, (_, i) => byFrame.get(start + i) as Float32Array);
    guard();
    run.onPreview?.({ start, end, step, x0, rgb: run.previewRgb ? x0.map((l) => latentsToRgb(l, h, w)) : undefined });
  }
}
