// export.start / export.cancel / shell.showItem. An export encodes a render job's final frames
// (`<dataDir>/jobs/<id>/final/NNNNNN.png`, see engine/job.ts) with ffmpeg (media/encode.ts: temp
// file, renamed when complete), optionally scaled or composed into the reference | DensePose |
// result grid (media/grid.ts), with the motion clip's audio or an added file, trimmed to the range.
// Events: export.progress (frame, total, ETA) while it runs, then exactly one export.done.
// The destination follows files/destination.ts: an existing one is refused with 'exists' (at once,
// as the reply to export.start) unless the request says `overwrite`, and what is replaced goes to
// the injected trash (Electron: shell.trashItem; otherwise files/trash.ts's systemTrash).
// Electron-free.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { RequestOf, ResponseOf, StudioEvent } from '../../shared/contract';
import { StudioFailure } from '../../shared/result';
import { JobFolder, type JobRecord } from '../engine/job';
import { systemTrash, type MoveToTrash } from '../files/trash';
import { checkEncodeRequest, encodeFrames, type EncodeRequest } from '../media/encode';
import { gridComposition, parseSize, resultComposition, type Composition } from '../media/grid';
import { probeMedia } from '../media/probe';
import { etaSeconds } from '../media/progress';
import type { FfmpegHandle } from '../media/rawFrames';
import { dataPaths } from '../paths';
import { isInside } from './frameRoutes';
import type { RevealItem } from './revealItem';
import type { Handlers } from './serviceTypes';

export interface ExportServiceOptions {
  dataDir: string;
  emit: (event: StudioEvent) => void;
  /** null: export.start answers not_available. */
  ffmpeg: FfmpegHandle | null;
  /** Used to check that the motion clip has sound; without it the check is skipped. */
  ffprobeBin: string | null;
  /** Shows a file in the file manager; null: shell.showItem answers not_available. */
  revealItem: RevealItem | null;
  /** Where a replaced export goes (default: this platform's trash, or a backup beside it). */
  trash?: MoveToTrash;
  now?: () => number;
}

type ExportInput = RequestOf<'export.start'>;

interface ExportPlan {
  request: Omit<EncodeRequest, 'onProgress' | 'signal'>;
}

export class ExportService {
  private readonly running = new Map<string, AbortController>();
  /** Files this service wrote: the ones shell.showItem may reveal (plus anything in exports/). */
  private readonly written = new Set<string>();
  private readonly jobsDir: string;
  private readonly exportsDir: string;
  private readonly now: () => number;
  private readonly trash: MoveToTrash;

  constructor(private readonly o: ExportServiceOptions) {
    this.trash = o.trash ?? systemTrash();
    this.jobsDir = dataPaths(o.dataDir).jobs;
    this.exportsDir = dataPaths(o.dataDir).exports;
    this.now = o.now ?? (() => performance.now());
  }

  handlers(): Handlers {
    return {
      'export.start': (input) => this.start(input),
      'export.cancel': (input) => this.cancel(input),
      'shell.showItem': (input) => this.showItem(input),
    };
  }

  /** Checks everything it can up front (bad input fails the request), then encodes in the background. */
  async start(input: ExportInput): Promise<ResponseOf<'export.start'>> {
    const ffmpeg = this.o.ffmpeg;
    if (!ffmpeg) throw new StudioFailure('not_available', 'Exporting needs ffmpeg; install it or set FFMPEG_BIN.');
    const plan = await this.plan(input);
    await checkEncodeRequest(plan.request); // 'exists' comes back here, before anything runs
    const exportId = `export-${randomBytes(6).toString('hex')}`;
    const controller = new AbortController();
    this.running.set(exportId, controller);
    void this.run(exportId, ffmpeg, plan, controller);
    return { exportId };
  }

  cancel({ exportId }: RequestOf<'export.cancel'>): ResponseOf<'export.cancel'> {
    const controller = this.running.get(exportId);
    controller?.abort();
    return { cancelled: Boolean(controller) };
  }

  async showItem({ path: requested }: RequestOf<'shell.showItem'>): Promise<ResponseOf<'shell.showItem'>> {
    const file = path.resolve(requested);
    if (!this.written.has(file) && !isInside(file, this.exportsDir)) {
      throw new StudioFailure('invalid_request', `Only exported files can be shown; ${file} was not exported by this session.`);
    }
    if (!existsSync(file)) throw new StudioFailure('not_found', `${file} is not there any more.`);
    if (!this.o.revealItem) {
      throw new StudioFailure('not_available', `This machine has no file manager opener; the file is at ${file}.`);
    }
    await this.o.revealItem(file);
    return { shown: true };
  }

  /** Cancels every running export (shutdown). */
  dispose(): void {
    for (const controller of this.running.values()) controller.abort();
  }

  private async run(exportId: string, ffmpeg: FfmpegHandle, plan: ExportPlan, controller: AbortController): Promise<void> {
    const started = this.now();
    let finished = false;
    const onProgress = (frame: number, total: number) => {
      if (finished) return;
      const etaSec = etaSeconds((this.now() - started) / 1000, frame, total);
      this.o.emit({ type: 'export.progress', exportId, frame, total, etaSec });
    };
    let done: Extract<StudioEvent, { type: 'export.done' }>;
    try {
      const written = await encodeFrames(ffmpeg, { ...plan.request, onProgress, signal: controller.signal });
      this.written.add(path.resolve(written.path));
      done = { type: 'export.done', exportId, status: 'success', path: written.path, ...(written.replaced ? { replaced: written.replaced } : {}) };
    } catch (err) {
      const failure = err instanceof StudioFailure ? err : new StudioFailure('internal', `The export failed: ${(err as Error).message}`);
      const aborted = controller.signal.aborted;
      done = { type: 'export.done', exportId, status: aborted ? 'aborted' : 'error', error: { code: aborted ? 'cancelled' : failure.code, message: failure.message } };
    } finally {
      finished = true;
      this.running.delete(exportId);
    }
    this.o.emit(done);
  }

  private async plan(input: ExportInput): Promise<ExportPlan> {
    const job = JobFolder.open(this.jobsDir, input.jobId);
    const record = job.read();
    const { start, end } = input.range;
    if (end <= start) throw new StudioFailure('invalid_request', `Export range ${start}–${end} is empty; choose at least one frame.`);
    this.checkFramesRendered(job, record, start, end);
    const motionStart = (record.params.range?.start ?? 0) + start;
    const clipFps = record.fps > 0 ? record.fps : input.fps;
    return {
      request: {
        format: input.format,
        framesDir: path.join(job.dir, 'final'),
        range: { start, end },
        fps: input.fps,
        // The audio lines up with the motion clip (and the timeline): frame n ↔ n / clip fps.
        audioPath: await this.audioPath(input, record),
        audioStartSec: motionStart / clipFps,
        compose: this.composition(input, record, motionStart),
        outPath: this.outPathFor(input.outPath),
        overwrite: input.overwrite === true,
        trash: this.trash,
      },
    };
  }

  private checkFramesRendered(job: JobFolder, record: JobRecord, start: number, end: number): void {
    const have = new Set(job.finishedFrames());
    const missing: number[] = [];
    for (let n = start; n < end && missing.length < 1000; n++) if (!have.has(n)) missing.push(n);
    if (missing.length === 0) return;
    const total = record.frameCount > 0 ? ` of ${record.frameCount}` : '';
    throw new StudioFailure(
      'not_found',
      `Frames ${missing[0]}–${missing[missing.length - 1]}${total} of render ${record.id} are not rendered yet (${missing.length} missing); wait for the render, resume it, or export a shorter range.`,
      { missing: missing.slice(0, 20) },
    );
  }

  private composition(input: ExportInput, record: JobRecord, motionStart: number): Composition | undefined {
    const cell = input.size ? parseSize(input.size) : { width: record.params.width, height: record.params.height };
    if ((input.layout ?? 'result') === 'result') return input.size ? resultComposition(cell, input.fps) : undefined;
    const { referencePath, motionPath } = record.inputs;
    for (const [what, file] of [['reference image', referencePath], ['motion clip', motionPath]] as const) {
      if (!isFile(file)) throw new StudioFailure('not_found', `The grid needs the render's ${what}, which is no longer at ${file}.`);
    }
    const count = input.range.end - input.range.start;
    return gridComposition({ cell, fit: record.params.fit, fps: input.fps, count, referencePath, motionPath, motionStart });
  }

  private async audioPath(input: ExportInput, record: JobRecord): Promise<string | null> {
    const audio = input.audio;
    if (audio.source === 'none') return null;
    const file = audio.source === 'file' ? path.resolve(audio.path) : record.inputs.motionPath;
    if (!isFile(file)) throw new StudioFailure('not_found', `The audio source ${file} does not exist.`);
    if (this.o.ffprobeBin) {
      const info = (await probeMedia(this.o.ffprobeBin, file)).info;
      if (!info.hasAudio) {
        const what = audio.source === 'motion' ? 'The motion clip' : path.basename(file);
        throw new StudioFailure('unsupported_media', `${what} has no audio track; export without audio or add an audio file.`);
      }
    }
    return file;
  }

  /** Absolute paths as given; a bare name (browser mode has no save dialog) goes to `<dataDir>/exports`. */
  private outPathFor(requested: string): string {
    if (path.isAbsolute(requested)) return requested;
    mkdirSync(this.exportsDir, { recursive: true });
    return path.join(this.exportsDir, path.basename(requested));
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
