// DDIM (Song, Meng & Ermon 2020, "Denoising Diffusion Implicit Models", arXiv 2010.02502) with
// eta = 0, epsilon prediction, no clipping: the scheduler MagicAnimate runs (diffusers 0.21.4
// DDIMScheduler, configured by inference.yaml + AnimationPipeline.__init__: linear betas
// 0.00085..0.012, 1000 training steps, "leading" spacing, steps_offset 1, set_alpha_to_one).
//
// All arithmetic is float32 in torch's order (Math.fround after every operation), so a step
// reproduces torch's bits; the tables reproduce `scheduler.alphas_cumprod` bit-exactly.
import { StudioFailure } from '../../../shared/result';

export interface DdimConfig {
  trainSteps: number;
  betaStart: number;
  betaEnd: number;
  stepsOffset: number;
  /** The alpha of the step before t = 0 is 1 (true) or alphas_cumprod[0] (false). */
  setAlphaToOne: boolean;
}

/** MagicAnimate's effective scheduler config (fixture case6_ddim.json). */
export const MAGICANIMATE_DDIM: DdimConfig = {
  trainSteps: 1000,
  betaStart: 0.00085,
  betaEnd: 0.012,
  stepsOffset: 1,
  setAlphaToOne: true,
};

export interface DdimTables {
  readonly config: DdimConfig;
  /** Number of inference steps S. */
  readonly steps: number;
  /** The timesteps of the run, descending (length S). */
  readonly timesteps: readonly number[];
  /** Gap between consecutive timesteps: trainSteps // S. */
  readonly ratio: number;
  /** ᾱ_t = Π_{s≤t} (1 − β_s), float32, indexed by training timestep. */
  readonly alphasCumprod: Float32Array;
  /** ᾱ used when the previous timestep is negative (after the last step). */
  readonly finalAlphaCumprod: number;
}

const f32 = Math.fround;

/**
 * torch.linspace(start, end, n, dtype=float32) on CPU, value for value.
 * NOTE: torch computes step = (end − start)/(n − 1) in float32, fills the first half upward
 * from `start` and the second half downward from `end`, and its AVX2 kernel writes 8 lanes at
 * a time as `base + step·j` (base computed once per lane group), leaving a scalar tail. Plain
 * float64 linspace differs in the last bit for about half the values, which then shifts the
 * float32 ᾱ table by up to 1.5e-7 relative; this order reproduces it exactly.
 */
export function torchLinspaceF32(start: number, end: number, n: number): Float32Array {
  const lanes = 8;
  const s = f32(start);
  const e = f32(end);
  const step = f32(f32(e - s) / (n - 1));
  const half = Math.floor(n / 2);
  const at = (i: number): number => (i < half ? f32(s + f32(step * i)) : f32(e - f32(step * (n - i - 1))));
  const out = new Float32Array(n);
  const vectorEnd = n - (n % (2 * lanes));
  for (let i = 0; i < vectorEnd; i += lanes) {
    const base = at(i);
    for (let j = 0; j < lanes; j++) out[i + j] = f32(base + f32(step * j));
  }
  for (let i = vectorEnd; i < n; i++) out[i] = at(i);
  return out;
}

/** The tables of one run of `steps` inference steps. */
export function ddimTables(steps: number, config: DdimConfig = MAGICANIMATE_DDIM): DdimTables {
  const timesteps = ddimTimesteps(config, steps);
  const betas = torchLinspaceF32(config.betaStart, config.betaEnd, config.trainSteps);
  const alphasCumprod = new Float32Array(config.trainSteps);
  // NOTE: torch.cumprod on CPU accumulates float32 inputs in double and rounds each output.
  let acc = 1;
  for (let t = 0; t < config.trainSteps; t++) {
    acc *= f32(1 - betas[t]);
    alphasCumprod[t] = acc;
  }
  return {
    config,
    steps,
    timesteps,
    ratio: stepRatio(config, steps),
    alphasCumprod,
    finalAlphaCumprod: config.setAlphaToOne ? 1 : alphasCumprod[0],
  };
}

/** The gap between consecutive timesteps: trainSteps // steps (diffusers "leading"). */
export function stepRatio(config: DdimConfig, steps: number): number {
  return Math.floor(config.trainSteps / steps);
}

/** Timesteps, descending: (i · ratio) + steps_offset for i = steps−1 … 0 ("leading" spacing). */
export function ddimTimesteps(config: DdimConfig, steps: number): number[] {
  if (!Number.isInteger(steps) || steps < 1 || steps > config.trainSteps) {
    throw new StudioFailure('invalid_request', `DDIM needs 1..${config.trainSteps} steps, got ${steps}.`);
  }
  const ratio = stepRatio(config, steps);
  return Array.from({ length: steps }, (_, i) => (steps - 1 - i) * ratio + config.stepsOffset);
}

export interface DdimStepResult {
  /** x_{t−1} */
  prev: Float32Array;
  /** The model's estimate of x_0 ("pred_original_sample"), for previews. */
  x0: Float32Array;
}

/** One deterministic DDIM step (eta = 0) from timestep t to t − ratio, element-wise. */
export function ddimStep(tables: DdimTables, eps: Float32Array, t: number, x: Float32Array): DdimStepResult {
  if (eps.length !== x.length) {
    throw new StudioFailure('internal', `DDIM step: eps has ${eps.length} values, x has ${x.length}.`);
  }
  if (!Number.isInteger(t) || t < 0 || t >= tables.alphasCumprod.length) {
    throw new StudioFailure('internal', `DDIM step: timestep ${t} is outside 0..${tables.alphasCumprod.length - 1}.`);
  }
  // 1. the previous timestep t − T/S
  const prevT = t - tables.ratio;
  // 2. ᾱ_t and ᾱ_{t−1} (ᾱ_{t−1} = 1 past the end with set_alpha_to_one)
  const alphaT = tables.alphasCumprod[t];
  const alphaPrev = prevT >= 0 ? tables.alphasCumprod[prevT] : tables.finalAlphaCumprod;
  const betaT = f32(1 - alphaT);
  const sqrtBetaT = f32(Math.sqrt(betaT));
  const sqrtAlphaT = f32(Math.sqrt(alphaT));
  const sqrtAlphaPrev = f32(Math.sqrt(alphaPrev));
  // 3. σ_t = η·sqrt(...) = 0, so the direction coefficient is sqrt(1 − ᾱ_{t−1} − σ_t²)
  const dirCoeff = f32(Math.sqrt(f32(1 - alphaPrev)));
  const prev = new Float32Array(x.length);
  const x0 = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    // 4. eq. 12, "predicted x_0": (x_t − sqrt(1 − ᾱ_t)·ε) / sqrt(ᾱ_t)
    const predX0 = f32(f32(x[i] - f32(sqrtBetaT * eps[i])) / sqrtAlphaT);
    // 5. eq. 12, "direction pointing to x_t": sqrt(1 − ᾱ_{t−1} − σ_t²)·ε
    const direction = f32(dirCoeff * eps[i]);
    // 6. eq. 12: x_{t−1} = sqrt(ᾱ_{t−1})·x̂_0 + direction (+ σ_t·noise, which is 0)
    prev[i] = f32(f32(sqrtAlphaPrev * predX0) + direction);
    x0[i] = predX0;
  }
  return { prev, x0 };
}
