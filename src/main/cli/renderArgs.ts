// Argument parsing for `npm run render`: argv in, options out, usage errors as UsageError. Only
// --model looks at the disk (an existing folder is a model folder, anything else a model id).
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { applyPreset, defaultRenderParams, PRESETS, RenderParamsSchema, type PresetName, type RenderParams } from '../../shared/renderParams';

export const RENDER_USAGE = `Usage: npm run render -- --reference IMG --motion CLIP|FOLDER --out OUT.mp4|FOLDER [options]

Animates the reference image with a DensePose motion clip (a video, or a folder of numbered PNGs).

  --reference IMG        reference image (PNG, JPEG, …)
  --motion CLIP|FOLDER   DensePose clip, or a folder of 000000.png, 000001.png, …
  --out OUT              a .mp4/.webm/.gif file (encoded at the clip's fps) or a folder (lossless PNGs)
  --overwrite            replace an existing --out file, or a folder an earlier render wrote (the old
                         one goes to the trash); without it an existing --out is refused, like ffmpeg
                         without -y. A non-empty folder this app did not write is never replaced.
  --preset NAME          official | fastPreview | longClip (flags below override it)
  --steps N  --guidance G  --seed S
  --window N  --overlap N  --fuse flat|pyramid|linear  --loop (closed windows)  --pad16
  --size WxH|N           render size (default: the model's native size)
  --fit pad|crop         how the inputs are fitted to the size (default pad)
  --range A:B            frames A (inclusive) to B (exclusive) of the clip
  --model ID|DIR         model id under the data folder or a model folder (default: demo, built on first use)
  --provider P           auto | cpu | cuda | dml | webgpu (default auto)
  --threads N            CPU threads for inference (0 = onnxruntime's default)
  --bank-precision P     fp16 (official rounding of the reference bank) | fp32
  --noise FILE           safetensors with init_noise [1, 4, 16, h, w] instead of the seeded noise
  --save-latents FILE    write final_latents [1, 4, F, h, w] (all padded frames) as safetensors
  --save-inputs FILE     write ref_image [H, W, 3] and control_frames [F, H, W, 3] (0..255) as they enter the VAE and
                         the ControlNet, as safetensors
  --report FILE          write a JSON summary (windows, timings, peak worker memory)
  --data-dir DIR         studio data folder (jobs, models); default: the app's
  -h, --help             show this help
`;

export class UsageError extends Error {}

export interface RenderCliOptions {
  referencePath: string;
  motionPath: string;
  outPath: string;
  /** --overwrite: replacing an existing --out is allowed (see files/destination.ts). */
  overwrite: boolean;
  params: RenderParams;
  /** Whether --size was given (otherwise the model's native size is used). */
  sizeGiven: boolean;
  bankPrecision: 'fp16' | 'fp32';
  noisePath?: string;
  saveLatentsPath?: string;
  saveInputsPath?: string;
  reportPath?: string;
  dataDir?: string;
}

const OPTIONS = {
  reference: { type: 'string' },
  motion: { type: 'string' },
  out: { type: 'string' },
  overwrite: { type: 'boolean' },
  preset: { type: 'string' },
  steps: { type: 'string' },
  guidance: { type: 'string' },
  seed: { type: 'string' },
  window: { type: 'string' },
  overlap: { type: 'string' },
  fuse: { type: 'string' },
  loop: { type: 'boolean' },
  pad16: { type: 'boolean' },
  size: { type: 'string' },
  fit: { type: 'string' },
  range: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  threads: { type: 'string' },
  'bank-precision': { type: 'string' },
  noise: { type: 'string' },
  'save-latents': { type: 'string' },
  'save-inputs': { type: 'string' },
  report: { type: 'string' },
  'data-dir': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} expects a number, got "${text}"`);
  return value;
}

/** `--size WxH` or `--size N` (square); shared by render and compile-model. */
export function parseSize(text: string): { width: number; height: number } {
  const m = /^(\d+)(?:x(\d+))?$/i.exec(text.trim());
  if (!m) throw new UsageError(`--size expects WxH or N, got "${text}"`);
  return { width: Number(m[1]), height: Number(m[2] ?? m[1]) };
}

function parseRange(text: string): { start: number; end: number } {
  const m = /^(\d+):(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--range expects A:B (frame numbers, B exclusive), got "${text}"`);
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** Parses argv (without node and script); null for --help. Precedence: defaults < preset < flags. */
export function parseRenderArgs(argv: string[]): RenderCliOptions | null {
  let values: { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]['type'] extends 'string' ? string : boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const missing = (['reference', 'motion', 'out'] as const).filter((k) => !values[k]);
  if (missing.length) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  let params = defaultRenderParams({ provider: 'auto' });
  if (values.preset) {
    if (!(values.preset in PRESETS)) throw new UsageError(`--preset must be one of ${Object.keys(PRESETS).join(', ')}`);
    params = applyPreset(params, values.preset as PresetName);
  }
  const flags: Partial<Record<keyof RenderParams, unknown>> = {
    steps: number('steps', values.steps),
    guidance: number('guidance', values.guidance),
    seed: number('seed', values.seed),
    window: number('window', values.window),
    overlap: number('overlap', values.overlap),
    threads: number('threads', values.threads),
    fuse: values.fuse,
    loop: values.loop,
    padTo16: values.pad16,
    fit: values.fit,
    model: values.model && fs.existsSync(values.model) ? path.resolve(values.model) : values.model,
    provider: values.provider,
    range: values.range ? parseRange(values.range) : undefined,
    ...(values.size ? parseSize(values.size) : {}),
  };
  const merged = { ...params, ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)) };
  const checked = RenderParamsSchema.safeParse(merged);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw new UsageError(`${issue.path.join('.') || 'parameters'}: ${issue.message}`);
  }
  const bank = values['bank-precision'] ?? 'fp16';
  if (bank !== 'fp16' && bank !== 'fp32') throw new UsageError('--bank-precision must be fp16 or fp32');
  const resolved = (p: string | undefined) => (p ? path.resolve(p) : undefined);
  return {
    referencePath: path.resolve(values.reference as string),
    motionPath: path.resolve(values.motion as string),
    outPath: path.resolve(values.out as string),
    overwrite: Boolean(values.overwrite),
    params: checked.data,
    sizeGiven: Boolean(values.size),
    bankPrecision: bank,
    noisePath: resolved(values.noise),
    saveLatentsPath: resolved(values['save-latents']),
    saveInputsPath: resolved(values['save-inputs']),
    reportPath: resolved(values.report),
    dataDir: resolved(values['data-dir']),
  };
}
