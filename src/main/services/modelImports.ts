// "Import model": compiles checkpoint folders into `<dataDir>/models/<slug of name>` in a child
// process (worker/compileHost.ts), so the main process stays responsive during a full-size compile.
// Each import emits models.progress events and exactly one models.done, and nothing after it.
//
// What can be checked at once (absolute paths, every expected file present, the name free) is
// checked before the child starts, so those mistakes come back as the request's own error; what
// only the compiler finds (a key missing from a checkpoint, a shape that does not fit) arrives as
// models.done with status 'error' and the compiler's message, which names the file and the key.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ModelImportRequest, ModelInfo, StudioEvent } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { resolveCheckpoints } from '../compiler/checkpointLayout';
import { DEMO_MODEL_ID } from '../compiler/compile';
import { startCompile, type CompileHandle, type CompileOutcome, type CompileSpawner } from '../worker/compileHost';
import type { CompileStep } from '../worker/compileProtocol';
import type { Logger } from './serviceTypes';

export interface ModelImportsOptions {
  modelsDir: string;
  emit: (event: StudioEvent) => void;
  spawner: CompileSpawner;
  log: Logger;
  /** The folders and display names of the models there now. */
  installed: () => { id: string; name: string }[];
  /** The ModelInfo of a finished model folder. */
  describe: (id: string) => ModelInfo;
}

interface RunningImport {
  id: string;
  name: string;
  handle: CompileHandle;
}

/** Below this fraction the ETA is mostly start-up noise. */
const ETA_MIN_FRACTION = 0.02;

/** "My Model v2" → "my-model-v2"; names with no Latin letters or digits get a short hash instead. */
export function modelSlug(name: string): string {
  const ascii = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  const slug = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64).replace(/-+$/, '');
  return slug || `model-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** One line for a person: which network, how far. */
export function describeStep(step: CompileStep): string {
  switch (step.phase) {
    case 'text-embedding':
      return 'Preparing the text embedding';
    case 'network':
      return `Writing ${step.network} (network ${(step.index ?? 0) + 1} of ${step.count}, tensor ${step.tensor} of ${step.tensors})`;
    case 'manifest':
      return 'Writing the manifest';
    case 'done':
      return 'Finished';
  }
}

function requireAbsolute(label: string, file: string | undefined): void {
  if (file !== undefined && !path.isAbsolute(file)) {
    throw new StudioFailure('invalid_request', `the ${label} must be an absolute path, not "${file}"`, { file });
  }
}

export class ModelImports {
  private readonly running = new Map<string, RunningImport>();

  constructor(private readonly o: ModelImportsOptions) {}

  /** Checks the request, starts the child and returns at once; the outcome arrives as models.done. */
  start(request: ModelImportRequest): { importId: string } {
    const name = request.name.trim();
    const id = this.claimName(name);
    this.checkInputs(request);
    const importId = randomUUID();
    const outDir = path.join(this.o.modelsDir, id);
    fs.mkdirSync(this.o.modelsDir, { recursive: true });
    const startedAt = Date.now();
    const handle = startCompile(
      { sd15Dir: request.sd15Dir, vaeDir: request.vaeDir, magicAnimateDir: request.magicAnimateDir, outDir, name, precision: request.precision, textEmbeddingPath: request.textEmbeddingPath, frameSize: request.frameSize },
      { spawner: this.o.spawner, onStep: (step) => this.o.emit(this.progressEvent(importId, step, startedAt)) },
    );
    this.running.set(importId, { id, name, handle });
    this.o.log.info(`importing model "${name}" into ${outDir} (import ${importId})`);
    void handle.done.then((outcome) => {
      this.running.delete(importId);
      this.o.emit(this.doneEvent(importId, id, outcome));
    });
    return { importId };
  }

  cancel(importId: string): { cancelled: boolean } {
    const task = this.running.get(importId);
    if (!task) return { cancelled: false };
    task.handle.kill();
    return { cancelled: true };
  }

  /** Kills every child (on shutdown); their done events follow as 'aborted'. */
  async dispose(): Promise<void> {
    const pending = [...this.running.values()];
    pending.forEach((task) => task.handle.kill());
    await Promise.all(pending.map((task) => task.handle.done));
  }

  /** The folder id for `name`, refusing a name (or folder) that a model or a running import has. */
  private claimName(name: string): string {
    const id = modelSlug(name);
    if (id === DEMO_MODEL_ID) throw new StudioFailure('invalid_request', `"${name}" is reserved for the built-in demo model; choose another name`);
    const taken = [...this.o.installed(), ...this.running.values()];
    const clash = taken.find((m) => m.id === id || m.name.toLowerCase() === name.toLowerCase());
    if (clash || fs.existsSync(path.join(this.o.modelsDir, id))) {
      throw new StudioFailure('invalid_request', `a model named "${clash?.name ?? name}" already exists (folder ${path.join(this.o.modelsDir, id)}); choose another name or remove that model first`, { file: path.join(this.o.modelsDir, id) });
    }
    return id;
  }

  /** Every folder and file the compiler will open, so a wrong folder is named before anything starts. */
  private checkInputs(request: ModelImportRequest): void {
    requireAbsolute('SD1.5 folder', request.sd15Dir);
    requireAbsolute('VAE folder', request.vaeDir);
    requireAbsolute('MagicAnimate folder', request.magicAnimateDir);
    requireAbsolute('text embedding file', request.textEmbeddingPath);
    resolveCheckpoints(request);
    const embedding = request.textEmbeddingPath;
    if (embedding && !(fs.existsSync(embedding) && fs.statSync(embedding).isFile())) {
      throw new StudioFailure('model_missing', `text embedding ${embedding}: no such file`, { file: embedding });
    }
  }

  private progressEvent(importId: string, step: CompileStep, startedAt: number): StudioEvent {
    const elapsedSec = (Date.now() - startedAt) / 1000;
    const etaSec = step.fraction >= ETA_MIN_FRACTION && step.fraction < 1 ? (elapsedSec * (1 - step.fraction)) / step.fraction : step.fraction >= 1 ? 0 : null;
    return { type: 'models.progress', importId, network: step.network ?? step.phase, fraction: step.fraction, message: describeStep(step), etaSec };
  }

  private doneEvent(importId: string, id: string, outcome: CompileOutcome): StudioEvent {
    if (outcome.status === 'aborted') return { type: 'models.done', importId, status: 'aborted' };
    if (outcome.status === 'error') return { type: 'models.done', importId, status: 'error', error: outcome.error };
    for (const [file, keys] of Object.entries(outcome.unusedKeys)) this.o.log.warn(`import ${importId}: ${keys.length} keys of ${file} were not used`);
    try {
      return { type: 'models.done', importId, status: 'success', model: this.o.describe(id), notNeeded: outcome.notNeeded };
    } catch (err) {
      const error = err instanceof StudioFailure ? { code: err.code, message: err.message } : { code: 'model_invalid', message: (err as Error).message };
      return { type: 'models.done', importId, status: 'error', error };
    }
  }
}
