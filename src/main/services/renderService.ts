// Render jobs on the main side: render.start / render.cancel / render.resume, and the job frame files
// behind the frame URLs. Each job runs in its own worker process (worker/host.ts); its events are
// re-emitted as render.* events through the injected `emit`, and job.json's status is written here,
// where a crashed worker is also noticed. No Electron imports: the shells inject the spawner.
//
//   const render = new RenderService({ dataDir, emit, spawner: forkSpawner(), ffmpeg });
//   const job = await render.startJob({ motionPath, referencePath, params });
//   render.jobFramePath(job.jobId, 'final', 0)    // …/jobs/<id>/final/000000.png (or null)
import fs from 'node:fs';
import path from 'node:path';
import type { RenderJob, StudioEvent } from '../../shared/contract';
import type { RenderParams } from '../../shared/renderParams';
import { StudioFailure } from '../../shared/result';
import { DEMO_MODEL_ID } from '../compiler/compile';
import { JobFolder, type JobRecord } from '../engine/job';
import type { BankPrecision } from '../engine/ortNetworks';
import { probeMedia } from '../media/probe';
import type { FfmpegHandle } from '../media/rawFrames';
import { dataPaths } from '../paths';
import { startWorker, type WorkerHandle, type WorkerSpawner } from '../worker/host';
import type { WorkerDone, WorkerEvent } from '../worker/protocol';
import { checkRole } from './mediaService';
import type { Handlers, JobFrameKind } from './serviceTypes';

export interface RenderServiceOptions {
  dataDir: string;
  emit: (event: StudioEvent) => void;
  spawner: WorkerSpawner;
  /** ffmpeg for the worker; null makes render.start answer not_available. */
  ffmpeg: FfmpegHandle | null;
  /** Probes the inputs before a job starts (bad files fail the request); without it the worker finds out. */
  ffprobeBin?: string | null;
}

export interface StartJobRequest {
  motionPath: string;
  referencePath: string;
  params: RenderParams;
  bankPrecision?: BankPrecision;
  noisePath?: string;
  saveLatentsPath?: string;
  /** Write the network inputs (ref_image, control_frames) here; see engine/saveInputs.ts. */
  saveInputsPath?: string;
  /** Every worker event of this job, done included (the CLI draws its progress bar from these). */
  onEvent?: (event: WorkerEvent) => void;
}

interface RunningJob {
  worker: WorkerHandle;
  done: Promise<WorkerDone>;
}

export class RenderService {
  private readonly jobsDir: string;
  private readonly running = new Map<string, RunningJob>();

  constructor(private readonly o: RenderServiceOptions) {
    this.jobsDir = dataPaths(o.dataDir).jobs;
  }

  /** A model id ('demo', a folder name under models/) or an absolute model folder. */
  modelDirOf(model: string): { dir: string; demo: boolean } {
    if (path.isAbsolute(model)) return { dir: model, demo: false };
    if (!/^[A-Za-z0-9][A-Za-z0-9._ -]{0,127}$/.test(model)) throw new StudioFailure('invalid_request', `not a model id: ${JSON.stringify(model)}`);
    return { dir: path.join(dataPaths(this.o.dataDir).models, model), demo: model === DEMO_MODEL_ID };
  }

  async startJob(req: StartJobRequest): Promise<RenderJob> {
    const fps = await this.checkInputs(req.motionPath, req.referencePath);
    this.modelDirOf(req.params.model);
    fs.mkdirSync(this.jobsDir, { recursive: true });
    const job = JobFolder.create(this.jobsDir, {
      params: req.params,
      inputs: { motionPath: path.resolve(req.motionPath), referencePath: path.resolve(req.referencePath) },
      fps,
      options: { bankPrecision: req.bankPrecision ?? 'fp16', noisePath: req.noisePath, saveLatentsPath: req.saveLatentsPath, saveInputsPath: req.saveInputsPath },
    });
    return this.launch(job, job.read(), false, req.onEvent);
  }

  /**
   * The same checks media.import makes (kind for the role, size limits, empty or damaged files), so a
   * bad input fails render.start with its own code instead of a job that dies in the worker.
   * Returns the motion clip's frame rate for job.json (0 when unknown: a PNG folder, no ffprobe).
   */
  private async checkInputs(motionPath: string, referencePath: string): Promise<number> {
    let fps = 0;
    for (const [role, what, file] of [['motion', 'motion clip', motionPath], ['reference', 'reference image', referencePath]] as const) {
      const stat = fs.statSync(file, { throwIfNoEntry: false });
      if (!stat) throw new StudioFailure('not_found', `The ${what} ${file} does not exist; choose it again (was it moved or renamed?).`);
      if (stat.isDirectory() || !this.o.ffprobeBin) continue; // a PNG-sequence folder is checked by the worker
      const info = (await probeMedia(this.o.ffprobeBin, path.resolve(file))).info;
      checkRole(info, role);
      if (role === 'motion') fps = info.fps;
    }
    return fps;
  }

  /** Runs a stopped job again; final frames on disk are kept (the loop skips the work they need). */
  async resumeJob(jobId: string, onEvent?: (event: WorkerEvent) => void): Promise<RenderJob> {
    const job = JobFolder.open(this.jobsDir, jobId);
    if (this.running.has(job.id)) throw new StudioFailure('busy', `Job ${jobId} is still running.`);
    const record = job.read();
    if (record.status === 'success') return job.summary();
    return this.launch(job, record, true, onEvent);
  }

  /** A job's summary; one whose worker is gone (the app closed mid-render) reads as aborted. */
  jobSummary(jobId: string): RenderJob {
    const summary = JobFolder.open(this.jobsDir, jobId).summary();
    const live = summary.status === 'running' || summary.status === 'queued';
    return live && !this.running.has(summary.jobId) ? { ...summary, status: 'aborted' } : summary;
  }

  /** Soft cancel (stops before the next network call) or hard (kills the worker). */
  cancel(jobId: string, hard = false): boolean {
    const entry = this.running.get(jobId);
    if (!entry) return false;
    if (hard) entry.worker.kill();
    else entry.worker.cancel();
    return true;
  }

  /** The process id of a running job's worker (diagnostics, tests). */
  workerPid(jobId: string): number | undefined {
    return this.running.get(jobId)?.worker.pid;
  }

  /** Resolves when the job's worker has sent (or been deemed to send) its done. */
  whenDone(jobId: string): Promise<WorkerDone> | null {
    return this.running.get(jobId)?.done ?? null;
  }

  /** The file behind a job frame URL; null for an unknown job. Always inside the job's folder. */
  jobFramePath(jobId: string, kind: JobFrameKind, index: number): string | null {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(jobId) || !Number.isInteger(index) || index < 0 || index > 9_999_999) return null;
    if (kind !== 'final' && kind !== 'preview') return null;
    const dir = path.join(this.jobsDir, jobId);
    if (!fs.existsSync(path.join(dir, 'job.json'))) return null;
    return new JobFolder(dir).framePath(kind, index);
  }

  handlers(): Handlers {
    return {
      'render.start': (input) => this.startJob(input),
      'render.cancel': (input) => ({ cancelled: this.cancel(input.jobId, input.hard ?? false) }),
      'render.resume': (input) => this.resumeJob(input.jobId),
      'render.job': (input) => this.jobSummary(input.jobId),
    };
  }

  /** Soft-cancels every running job and waits for them (hard-kills after `graceMs`). */
  async dispose(graceMs = 10_000): Promise<void> {
    const all = [...this.running.entries()];
    for (const [, entry] of all) entry.worker.cancel();
    const timer = setTimeout(() => all.forEach(([, entry]) => entry.worker.kill()), graceMs);
    await Promise.all(all.map(([, entry]) => entry.done));
    clearTimeout(timer);
  }

  private launch(job: JobFolder, record: JobRecord, resume: boolean, onEvent?: (event: WorkerEvent) => void): RenderJob {
    if (!this.o.ffmpeg) throw new StudioFailure('not_available', 'Rendering needs ffmpeg to read the motion clip; install ffmpeg or set FFMPEG_BIN.');
    const model = this.modelDirOf(record.params.model);
    job.update({ status: 'running', error: undefined });
    const worker = startWorker(
      {
        jobDir: job.dir,
        modelDir: model.dir,
        demoDataDir: model.demo ? this.o.dataDir : undefined,
        ffmpeg: this.o.ffmpeg,
        motionPath: record.inputs.motionPath,
        referencePath: record.inputs.referencePath,
        params: record.params,
        bankPrecision: record.options.bankPrecision,
        noisePath: record.options.noisePath,
        saveLatentsPath: resume ? undefined : record.options.saveLatentsPath,
        saveInputsPath: resume ? undefined : record.options.saveInputsPath,
        resume,
      },
      { spawner: this.o.spawner, onEvent: (event) => this.forward(job, event, onEvent) },
    );
    const done = worker.done.finally(() => this.running.delete(job.id));
    this.running.set(job.id, { worker, done });
    return job.summary();
  }

  private forward(job: JobFolder, event: WorkerEvent, onEvent?: (event: WorkerEvent) => void): void {
    const jobId = job.id;
    if (event.type === 'done') {
      try {
        job.update({ status: event.status, error: event.error });
      } catch (error) {
        this.o.emit({ type: 'render.log', jobId, level: 'error', message: `could not record the job's end: ${(error as Error).message}` });
      }
    }
    onEvent?.(event);
    switch (event.type) {
      case 'progress': {
        const { type: _type, ...rest } = event;
        return this.o.emit({ type: 'render.progress', jobId, ...rest });
      }
      case 'segment':
        return this.o.emit({ type: 'render.segment', jobId, start: event.start, end: event.end, kind: event.kind, step: event.step });
      case 'log':
        return this.o.emit({ type: 'render.log', jobId, level: event.level, message: event.message });
      case 'done':
        return this.o.emit({ type: 'render.done', jobId, status: event.status, ...(event.error ? { error: event.error } : {}) });
    }
  }
}
