// Render parameters and presets, shared by the render panel, the CLI and the engine.
import { z } from 'zod';

/** AnimateDiff-v1's sinusoidal position encoding has 24 rows: no window may be longer. */
export const MAX_WINDOW = 24;

export const FuseModeSchema = z.enum(['flat', 'pyramid', 'linear']);
export type FuseMode = z.infer<typeof FuseModeSchema>;

export const ProviderSchema = z.enum(['auto', 'cpu', 'cuda', 'dml', 'webgpu']);
export type Provider = z.infer<typeof ProviderSchema>;

export const RenderParamsSchema = z
  .object({
    model: z.string().min(1).max(256),
    provider: ProviderSchema,
    threads: z.number().int().min(0).max(256),
    steps: z.number().int().min(1).max(200),
    guidance: z.number().min(0).max(30),
    seed: z.number().int().min(0).max(2 ** 32 - 1),
    width: z.number().int().min(64).max(2048).multipleOf(64),
    height: z.number().int().min(64).max(2048).multipleOf(64),
    fit: z.enum(['pad', 'crop']),
    window: z.number().int().min(1).max(MAX_WINDOW),
    overlap: z.number().int().min(0).max(MAX_WINDOW - 1),
    fuse: FuseModeSchema,
    /** Closed loop: windows wrap around the end (the official behaviour). */
    loop: z.boolean(),
    /** Pad the clip to a multiple of 16 frames with its last frame, as the official code does. */
    padTo16: z.boolean(),
    range: z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive() }).strict().nullable(),
  })
  .strict()
  .refine((p) => p.overlap < p.window, { message: 'The overlap must be smaller than the window.', path: ['overlap'] })
  .refine((p) => !p.range || p.range.end > p.range.start, { message: 'The range is empty.', path: ['range'] });

export type RenderParams = z.infer<typeof RenderParamsSchema>;

export type PresetName = 'official' | 'fastPreview' | 'longClip';

const BASE: RenderParams = {
  model: 'demo',
  provider: 'auto',
  threads: 0,
  steps: 25,
  guidance: 7.5,
  seed: 1,
  width: 512,
  height: 512,
  fit: 'pad',
  window: 16,
  overlap: 4,
  fuse: 'flat',
  loop: false,
  padTo16: false,
  range: null,
};

/** Presets fix sampling options; the model, size and range stay the person's. */
export const PRESETS: Record<PresetName, Partial<RenderParams>> = {
  // Exactly what MagicAnimate's demo does: 25 steps, g 7.5, windows 16/4 wrapping around, flat
  // averaging, the clip edge-padded to a multiple of 16.
  official: { steps: 25, guidance: 7.5, window: 16, overlap: 4, fuse: 'flat', loop: true, padTo16: true },
  fastPreview: { steps: 8, guidance: 7.5, window: 8, overlap: 2, fuse: 'pyramid', loop: false, padTo16: false },
  longClip: { steps: 25, guidance: 7.5, window: 16, overlap: 4, fuse: 'linear', loop: false, padTo16: false },
};

export function defaultRenderParams(overrides: Partial<RenderParams> = {}): RenderParams {
  return { ...BASE, ...overrides };
}

export function applyPreset(params: RenderParams, preset: PresetName): RenderParams {
  return { ...params, ...PRESETS[preset] };
}
