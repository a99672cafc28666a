// The model folder format: `manifest.json` next to the .onnx files (plus `<net>.onnx.data` when a
// network's weights exceed the protobuf limit) and the text embedding. The manifest is the only
// thing the engine reads to find networks, their I/O and the configs they were built from.
//
// Source fingerprints: files up to SHA256_LIMIT_BYTES get a streamed sha256; larger ones (the
// 3.4 GB SD1.5 .bin, the 5 GB temporal_attention.ckpt) record size + mtime only, because hashing
// them would add a minute of disk reads to every compile for a check nobody needs to be
// cryptographic (it answers "was this folder built from these files?").
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { StudioFailure } from '../../shared/result';
import { writeFileAtomic } from './weights/atomicWrite';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT_VERSION = 1;
export const SHA256_LIMIT_BYTES = 512 * 1024 * 1024;

const DimSchema = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const TensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'float16', 'int64', 'int32', 'bool']),
  shape: z.array(DimSchema),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

export const NETWORK_NAMES = ['vae_encoder', 'vae_decoder', 'appearance_encoder', 'controlnet', 'unet3d'] as const;
export type NetworkName = (typeof NETWORK_NAMES)[number];

const NetworkSchema = z.object({
  name: z.enum(NETWORK_NAMES),
  file: z.string().min(1),
  /** External weights file, when the weights did not fit in the protobuf. */
  dataFile: z.string().min(1).optional(),
  /** Bytes of `file` (and of `dataFile`): a shorter file on disk is reported as truncated. */
  sizeBytes: z.number().int().positive(),
  dataSizeBytes: z.number().int().positive().optional(),
  inputs: z.array(TensorSpecSchema),
  outputs: z.array(TensorSpecSchema),
}).refine((n) => (n.dataFile === undefined) === (n.dataSizeBytes === undefined), { message: 'dataFile and dataSizeBytes go together' });
export type NetworkEntry = z.infer<typeof NetworkSchema>;

const SourceFileSchema = z.object({
  role: z.string().min(1),
  path: z.string().min(1),
  sizeBytes: z.number().int().nonnegative(),
  fingerprint: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sha256'), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    z.object({ kind: z.literal('size-mtime'), mtimeMs: z.number() }),
    z.object({ kind: z.literal('seeded'), seed: z.number().int() }),
  ]),
});
export type SourceFile = z.infer<typeof SourceFileSchema>;

const RawConfig = z.record(z.string(), z.unknown());

export const ManifestSchema = z.object({
  formatVersion: z.literal(MANIFEST_FORMAT_VERSION),
  name: z.string().min(1).max(200),
  configName: z.enum(['tiny', 'sd15']),
  precision: z.enum(['fp32', 'fp16']),
  /** Folders written before `frameSize` existed: they are square at this size. Read `manifestFrameSize`. */
  resolution: z.number().int().positive().optional(),
  /** Width and height in pixels the graphs were built for. Read `manifestFrameSize`. */
  frameSize: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).strict().optional(),
  /** The config.json contents the graphs were built from; parse them with configs.ts. */
  configs: z.object({
    unet: RawConfig,
    motionModule: RawConfig,
    appearanceEncoder: RawConfig,
    controlnet: RawConfig,
    vae: RawConfig,
    textEncoder: RawConfig.optional(),
  }),
  networks: z.array(NetworkSchema).min(1),
  textEmbedding: z.object({ file: z.string().min(1), key: z.string().min(1), shape: z.array(z.number().int().positive()) }),
  sources: z.array(SourceFileSchema),
  createdAt: z.string().datetime(),
}).refine((m) => m.frameSize !== undefined || m.resolution !== undefined, { message: 'the frame size is missing', path: ['frameSize'] });
export type Manifest = z.infer<typeof ManifestSchema>;

/** size + (sha256 | mtime) of a checkpoint or config file; hashes by streaming, never whole-file reads. */
export async function fingerprintFile(role: string, file: string): Promise<SourceFile> {
  const stat = await fs.promises.stat(file);
  if (stat.size > SHA256_LIMIT_BYTES) {
    return { role, path: path.resolve(file), sizeBytes: stat.size, fingerprint: { kind: 'size-mtime', mtimeMs: stat.mtimeMs } };
  }
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { role, path: path.resolve(file), sizeBytes: stat.size, fingerprint: { kind: 'sha256', sha256: hash.digest('hex') } };
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const checked = ManifestSchema.parse(manifest);
  writeFileAtomic(path.join(dir, MANIFEST_FILE), [`${JSON.stringify(checked, null, 2)}\n`]);
}

function checkSize(dir: string, file: string, expected: number): void {
  const full = path.join(dir, file);
  let size: number;
  try {
    size = fs.statSync(full).size;
  } catch {
    throw new StudioFailure('model_missing', `model folder ${dir} is missing ${file}; compile the model again`, { file: full });
  }
  if (size !== expected) {
    throw new StudioFailure('model_invalid', `${full} has ${size} bytes, the manifest records ${expected} (truncated or replaced?); compile the model again`, {
      file: full,
    });
  }
}

/** A file name the manifest may reference: a plain name inside the folder, never a path out of it. */
const isPlainName = (name: string): boolean => name === path.basename(name) && name !== '..' && name !== '.';

/** Reads and validates `<dir>/manifest.json`, and checks that every file it names is whole. */
export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new StudioFailure('model_missing', `no ${MANIFEST_FILE} in ${dir}: not a compiled model folder`, { file });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StudioFailure('model_invalid', `${file} is not valid JSON: ${(error as Error).message}`, { file });
  }
  const version = (json as { formatVersion?: unknown } | null)?.formatVersion;
  if (typeof version === 'number' && version !== MANIFEST_FORMAT_VERSION) {
    const why = version > MANIFEST_FORMAT_VERSION ? 'a newer' : 'an older';
    throw new StudioFailure(
      'model_invalid',
      `${file} is not a valid manifest: formatVersion ${version} comes from ${why} version of the app (this one reads ${MANIFEST_FORMAT_VERSION}); update the app, or compile the model again with this one`,
      { file, formatVersion: version },
    );
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StudioFailure('model_invalid', `${file} is not a valid manifest: ${issue.path.join('.')}: ${issue.message}; compile the model again`, { file, issues: parsed.error.issues });
  }
  const manifest = parsed.data;
  for (const net of manifest.networks) {
    for (const name of [net.file, net.dataFile].filter((n): n is string => n !== undefined)) {
      if (!isPlainName(name)) throw new StudioFailure('model_invalid', `${file}: network ${net.name} names a file outside the folder: ${name}`, { file });
    }
    checkSize(dir, net.file, net.sizeBytes);
    if (net.dataFile && net.dataSizeBytes !== undefined) checkSize(dir, net.dataFile, net.dataSizeBytes);
  }
  if (!isPlainName(manifest.textEmbedding.file)) throw new StudioFailure('model_invalid', `${file}: bad text embedding file name`, { file });
  if (!fs.existsSync(path.join(dir, manifest.textEmbedding.file))) {
    throw new StudioFailure('model_missing', `model folder ${dir} is missing ${manifest.textEmbedding.file}`, { file: manifest.textEmbedding.file });
  }
  return manifest;
}

export function networkEntry(manifest: Manifest, name: NetworkName): NetworkEntry {
  const entry = manifest.networks.find((n) => n.name === name);
  if (!entry) throw new StudioFailure('model_invalid', `model ${manifest.name} has no ${name} network`);
  return entry;
}

/** The frame size a model folder renders at (square `resolution` in folders older than `frameSize`). */
export function manifestFrameSize(manifest: Pick<Manifest, 'resolution' | 'frameSize'>): { width: number; height: number } {
  if (manifest.frameSize) return manifest.frameSize;
  // The schema requires one of the two, so this only fails on a manifest built by hand in code.
  if (manifest.resolution === undefined) throw new StudioFailure('model_invalid', 'the manifest has no frame size; compile the model again');
  return { width: manifest.resolution, height: manifest.resolution };
}
