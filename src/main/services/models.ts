// The model registry: model folders under `<dataDir>/models/`, each with a manifest.json written by
// the compiler. The demo model (tiny configuration, seeded weights) is built into `models/demo` the
// first time anyone asks, so the app works before any real checkpoint is compiled.
import fs from 'node:fs';
import path from 'node:path';
import type { ModelInfo, StudioEvent } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { buildDemoModel, DEMO_MODEL_ID, type CompileProgress } from '../compiler/compile';
import { manifestFrameSize, readManifest, type Manifest } from '../compiler/manifest';
import { dataPaths } from '../paths';
import { forkCompileSpawner, type CompileSpawner } from '../worker/compileHost';
import { ModelImports } from './modelImports';
import { consoleLogger, type Handlers, type Logger } from './serviceTypes';

/** Folder names the compiler uses while writing or replacing a model; never listed. */
const TRANSIENT = /\.(partial|old-\d+|removing-\d+)$/;
const VALID_ID = /^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/;

export interface LoadedModel {
  info: ModelInfo;
  manifest: Manifest;
}

function folderSize(dir: string): number {
  return fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, entry) => {
    const full = path.join(dir, entry.name);
    return sum + (entry.isDirectory() ? folderSize(full) : entry.isFile() ? fs.statSync(full).size : 0);
  }, 0);
}

function describeSource(manifest: Manifest): string {
  const seeded = manifest.sources.find((s) => s.fingerprint.kind === 'seeded');
  if (seeded && seeded.fingerprint.kind === 'seeded') return `built-in demo (random weights, seed ${seeded.fingerprint.seed})`;
  const ckpt = manifest.sources.find((s) => s.role === 'temporalCkpt');
  return ckpt ? `compiled from ${path.dirname(path.dirname(ckpt.path))}` : 'compiled checkpoints';
}

export function modelInfo(id: string, dir: string, manifest: Manifest): ModelInfo {
  return {
    id,
    name: manifest.name,
    dir,
    configName: manifest.configName,
    precision: manifest.precision,
    sizeBytes: folderSize(dir),
    source: describeSource(manifest),
    ...manifestFrameSize(manifest),
  };
}

export interface ModelsServiceOptions {
  /** Where models.progress / models.done go (the event hub). */
  emit?: (event: StudioEvent) => void;
  /** How an import's compile child is started; default: fork compileEntry.ts with tsx. */
  compileSpawner?: CompileSpawner;
}

export class ModelsService {
  private readonly modelsDir: string;
  private demoBuild: Promise<void> | null = null;
  private readonly imports: ModelImports;

  constructor(
    dataDir: string,
    private readonly log: Logger = consoleLogger,
    options: ModelsServiceOptions = {},
  ) {
    this.modelsDir = dataPaths(dataDir).models;
    this.imports = new ModelImports({
      modelsDir: this.modelsDir,
      emit: options.emit ?? (() => {}),
      spawner: options.compileSpawner ?? forkCompileSpawner(),
      log,
      installed: () => this.installed().map(({ id, manifest }) => ({ id, name: manifest.name })),
      describe: (id) => this.get(id).info,
    });
  }

  /** Builds `models/demo` unless a valid one is there; concurrent callers share one build. */
  ensureDemoModel(onProgress?: (event: CompileProgress) => void): Promise<void> {
    const dir = path.join(this.modelsDir, DEMO_MODEL_ID);
    try {
      readManifest(dir);
      return Promise.resolve();
    } catch (error) {
      if (fs.existsSync(dir)) {
        this.log.warn(`demo model at ${dir} is unusable (${(error as Error).message}); rebuilding it`);
        this.discard(dir);
      }
    }
    this.demoBuild ??= buildDemoModel(path.dirname(this.modelsDir), onProgress)
      .then(() => this.log.info(`built the demo model in ${dir}`))
      .finally(() => {
        this.demoBuild = null;
      });
    return this.demoBuild;
  }

  /** Every valid model folder, demo first; unreadable folders are skipped with a warning. */
  async list(): Promise<ModelInfo[]> {
    try {
      await this.ensureDemoModel();
    } catch (error) {
      this.log.error('could not build the demo model', error);
    }
    const models = this.installed().map(({ id, manifest }) => modelInfo(id, path.join(this.modelsDir, id), manifest));
    return models.sort((a, b) => (a.id === DEMO_MODEL_ID ? -1 : b.id === DEMO_MODEL_ID ? 1 : a.name.localeCompare(b.name)));
  }

  /** The model `id` with its manifest (validated, files checked). */
  get(id: string): LoadedModel {
    const dir = this.folderOf(id);
    const manifest = readManifest(dir);
    return { info: modelInfo(id, dir, manifest), manifest };
  }

  /** Deletes a model folder (the demo comes back on the next list). */
  remove(id: string): void {
    this.discard(this.folderOf(id));
  }

  handlers(): Handlers {
    return {
      'models.list': () => this.list(),
      'models.import': (request) => this.imports.start(request),
      'models.cancelImport': ({ importId }) => this.imports.cancel(importId),
      'models.remove': ({ id }) => {
        this.remove(id);
        return { removed: true };
      },
    };
  }

  /** Kills running imports (their done events follow, 'aborted'). */
  dispose(): Promise<void> {
    return this.imports.dispose();
  }

  /** Valid model folders with their manifests; folders being written and unreadable ones are skipped. */
  private installed(): { id: string; manifest: Manifest }[] {
    if (!fs.existsSync(this.modelsDir)) return [];
    const entries = fs.readdirSync(this.modelsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && !TRANSIENT.test(e.name));
    const found: { id: string; manifest: Manifest }[] = [];
    for (const entry of entries) {
      const dir = path.join(this.modelsDir, entry.name);
      try {
        found.push({ id: entry.name, manifest: readManifest(dir) });
      } catch (error) {
        this.log.warn(`skipping model folder ${dir}: ${(error as Error).message}`);
      }
    }
    return found;
  }

  private folderOf(id: string): string {
    if (!VALID_ID.test(id) || TRANSIENT.test(id)) throw new StudioFailure('invalid_request', `not a model id: ${JSON.stringify(id)}`);
    const dir = path.join(this.modelsDir, id);
    if (!fs.existsSync(path.join(dir, 'manifest.json'))) throw new StudioFailure('not_found', `no model "${id}" in ${this.modelsDir}`);
    return dir;
  }

  /** Renames first so a half-deleted folder is never mistaken for a model. */
  private discard(dir: string): void {
    const doomed = `${dir}.removing-${process.pid}`;
    fs.renameSync(dir, doomed);
    fs.rmSync(doomed, { recursive: true, force: true });
  }
}
