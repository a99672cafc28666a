// npm run compile-model -- --from DIR --out DIR [--precision fp16] [--text-embedding FILE]
// npm run compile-model -- --sd15 DIR --vae DIR --magicanimate DIR --out DIR [...]
// npm run compile-model -- --seeded sd15|tiny --out DIR [--precision fp16] [--size WxH]   (random weights)
//
// Compiles SD1.5 + sd-vae-ft-mse + MagicAnimate checkpoints into a model folder (manifest.json and
// ONNX files) that the studio loads. Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { StudioFailure } from '../../shared/result';
import type { CheckpointDirs } from '../compiler/checkpointLayout';
import { findCheckpointFolders } from '../compiler/checkpointFolders';
import { compileModel, type CompileOptions, type CompileProgress, type CompileResult } from '../compiler/compile';
import { buildSeededModel, type SeededModelOptions } from '../compiler/seededModel';
import { progressPrinter } from './progressBar';
import { parseSize } from './renderArgs';

const USAGE = `Usage: npm run compile-model -- --from DIR --out DIR [options]
       npm run compile-model -- --sd15 DIR --vae DIR --magicanimate DIR --out DIR [options]

       npm run compile-model -- --seeded sd15|tiny --out DIR [--precision P] [--size WxH]

Compiles the checkpoints into a MagicAnimate Studio model folder, or, with --seeded, builds the real
architecture (sd15: full size; tiny: the demo's) with seeded random weights for benchmarks.

  --from DIR            a folder holding all three checkpoint folders: the official repo
                        (pretrained_models/), a Hugging Face cache, or the three side by side
  --sd15 DIR            stable-diffusion-v1-5 folder (unet/config.json, text_encoder/; the unet
                        weights are optional when temporal_attention.ckpt holds them all)
  --vae DIR             sd-vae-ft-mse folder (config.json, diffusion_pytorch_model.safetensors)
  --magicanimate DIR    MagicAnimate folder (appearance_encoder/, densepose_controlnet/,
                        temporal_attention/temporal_attention.ckpt)
                        (--sd15/--vae/--magicanimate override what --from finds)
  --seeded CONFIG       sd15 | tiny: no checkpoints, seeded random weights
  --out DIR             output model folder (must not exist unless --force)
  --precision P         fp32 (default; the exact path, the official numbers) or fp16
                        (float16 weights and compute, float32 I/O: half the GPU memory,
                        tensor-core speed; on CPU onnxruntime widens most of it to fp32)
  --fp16                same as --precision fp16
  --text-embedding FILE use this CLIP("") embedding (safetensors) instead of running CLIP
  --size WxH|N          frame size the model renders at, multiples of 64 (default: the
                        checkpoints' native square, SD1.5 512); e.g. 512x768 for portrait
  --name NAME           display name (default: the output folder's name)
  --force               replace an existing output folder once the new one is complete
  -h, --help            show this help
`;

/** What the flags set: the compile options less the callbacks, with --force always decided. */
type CliOptions = Omit<CompileOptions, 'onProgress' | 'signal' | 'inlineWeightsLimit' | 'overwrite' | keyof CheckpointDirs> &
  Partial<CheckpointDirs> & { overwrite: boolean; fromDir?: string };
/** --seeded: the architecture of a named configuration, no checkpoint folders. */
type SeededCliOptions = Omit<SeededModelOptions, 'onProgress' | 'signal'> & { overwrite: boolean };

export class UsageError extends Error {}

/** Parses argv (without node and script); returns null for --help. */
export function parseCompileArgs(argv: string[]): CliOptions | null {
  const parsed = parseAnyCompileArgs(argv);
  if (parsed && 'config' in parsed) throw new UsageError('--seeded builds no checkpoints; use parseAnyCompileArgs');
  return parsed;
}

/** Like parseCompileArgs, but also accepts --seeded. */
export function parseAnyCompileArgs(argv: string[]): CliOptions | SeededCliOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        from: { type: 'string' },
        sd15: { type: 'string' },
        seeded: { type: 'string' },
        vae: { type: 'string' },
        magicanimate: { type: 'string' },
        out: { type: 'string' },
        precision: { type: 'string' },
        fp16: { type: 'boolean', default: false },
        'text-embedding': { type: 'string' },
        size: { type: 'string' },
        name: { type: 'string' },
        force: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.help) return null;
  const precision = values.precision ?? (values.fp16 ? 'fp16' : 'fp32');
  if (precision !== 'fp32' && precision !== 'fp16') throw new UsageError(`--precision must be fp32 or fp16, not ${precision}`);
  if (values.fp16 && values.precision === 'fp32') throw new UsageError('--fp16 contradicts --precision fp32');
  if (values.seeded !== undefined) {
    const config = values.seeded;
    if (config !== 'sd15' && config !== 'tiny') throw new UsageError(`--seeded must be sd15 or tiny, not ${config}`);
    const extra = (['sd15', 'vae', 'magicanimate', 'text-embedding'] as const).filter((k) => values[k] !== undefined);
    if (extra.length) throw new UsageError(`--seeded reads no checkpoints: drop ${extra.map((k) => `--${k}`).join(', ')}`);
    if (!values.out) throw new UsageError('missing --out');
    return {
      config,
      outDir: path.resolve(values.out),
      precision,
      name: values.name,
      frameSize: values.size ? parseSize(values.size) : undefined,
      overwrite: values.force ?? false,
    };
  }
  const missing = (['sd15', 'vae', 'magicanimate', 'out'] as const).filter((k) => !values[k] && !(values.from && k !== 'out'));
  if (missing.length) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}${values.from ? '' : ' (or --from DIR)'}`);
  const resolved = (value: string | undefined): string | undefined => (value ? path.resolve(value) : undefined);
  return {
    fromDir: resolved(values.from),
    sd15Dir: resolved(values.sd15),
    vaeDir: resolved(values.vae),
    magicAnimateDir: resolved(values.magicanimate),
    outDir: path.resolve(values.out as string),
    precision,
    textEmbeddingPath: values['text-embedding'] ? path.resolve(values['text-embedding']) : undefined,
    name: values.name,
    frameSize: values.size ? parseSize(values.size) : undefined,
    overwrite: values.force ?? false,
  };
}

/** The three folders: what --from finds, overridden by any folder given on its own. */
export function checkpointDirs(options: CliOptions, log: (line: string) => void = () => {}): CheckpointDirs {
  const given = { sd15Dir: options.sd15Dir, vaeDir: options.vaeDir, magicAnimateDir: options.magicAnimateDir };
  if (!options.fromDir) return given as CheckpointDirs;
  const found = findCheckpointFolders(options.fromDir);
  log(`found the ${found.layout} layout in ${options.fromDir}`);
  return {
    sd15Dir: given.sd15Dir ?? found.sd15Dir,
    vaeDir: given.vaeDir ?? found.vaeDir,
    magicAnimateDir: given.magicAnimateDir ?? found.magicAnimateDir,
  };
}

/** The summary after a compile: the inputs it did not need, then keys no network used. */
function printSummary(result: CompileResult): void {
  for (const item of result.notNeeded) {
    const what = item.file ? `${item.file}: not needed` : 'SD1.5 UNet weights: not present and not needed';
    process.stderr.write(`note: ${what} (${item.reason})\n`);
  }
  for (const [file, keys] of Object.entries(result.unusedKeys)) {
    process.stderr.write(`warning: ${keys.length} keys of ${file} were not used: ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}\n`);
  }
}

export async function main(argv: string[]): Promise<number> {
  let options: CliOptions | SeededCliOptions | null;
  try {
    options = parseAnyCompileArgs(argv);
  } catch (error) {
    process.stderr.write(`error: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(USAGE);
    return 0;
  }
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const progress = progressPrinter(process.stderr);
  try {
    const callbacks = { onProgress: (e: CompileProgress) => progress.update(e), signal: controller.signal };
    const result = 'config' in options
      ? await buildSeededModel({ ...options, ...callbacks })
      : await compileModel({ ...options, ...checkpointDirs(options, (line) => process.stderr.write(`${line}\n`)), ...callbacks });
    progress.finish();
    printSummary(result);
    process.stdout.write(`compiled ${result.manifest.name} (${result.manifest.configName}, ${result.manifest.precision}) into ${result.dir}\n`);
    return 0;
  } catch (error) {
    progress.finish();
    if (error instanceof StudioFailure) {
      process.stderr.write(`error: ${error.message}\n`);
      return error.code === 'cancelled' ? 130 : 1;
    }
    process.stderr.write(`error: ${(error as Error).stack ?? String(error)}\n`);
    return 1;
  } finally {
    process.off('SIGINT', onSignal);
  }
}

const isEntry = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isEntry) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
