// A render job's folder, `<dataDir>/jobs/<id>/`:
//   job.json                what was asked (params, inputs) and how it went (status, frame count)
//   final/000000.png …      VAE-decoded frames, lossless, written atomically as segments arrive
//   preview/000000.png …    cheap x̂0 previews (latent resolution), replaced as steps advance
//   motion.rgb              the fitted DensePose frames (inputs.ts), removed when the job ends
// Every file is written to a temp name and renamed, so a reader (the frame server, a resume)
// never sees half a frame. A resume treats every final frame on disk as done.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { RenderJob } from '../../shared/contract';
import { RenderParamsSchema } from '../../shared/renderParams';
import { StudioFailure } from '../../shared/result';
import { tempPathFor, writeFileAtomic } from '../compiler/weights/atomicWrite';

export const JOB_FILE = 'job.json';
export type JobFrameKind = 'final' | 'preview';
export type JobStatus = RenderJob['status'];

export const JobRecordSchema = z.object({
  formatVersion: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9_-]{1,128}$/),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: z.enum(['queued', 'running', 'success', 'error', 'aborted']),
  params: RenderParamsSchema,
  inputs: z.object({ motionPath: z.string(), referencePath: z.string() }),
  /** Clip frames to render (after the range); 0 until the motion clip has been read. */
  frameCount: z.number().int().nonnegative(),
  /** The motion clip's frame rate (0 for a PNG folder: unknown). */
  fps: z.number().nonnegative(),
  options: z.object({
    bankPrecision: z.enum(['fp16', 'fp32']),
    noisePath: z.string().optional(),
    saveLatentsPath: z.string().optional(),
    saveInputsPath: z.string().optional(),
  }),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
export type JobRecord = z.infer<typeof JobRecordSchema>;

export const frameFileName = (index: number): string => `${String(index).padStart(6, '0')}.png`;

export function newJobId(): string {
  return `${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}-${randomBytes(4).toString('hex')}`;
}

export class JobFolder {
  constructor(readonly dir: string) {}

  get id(): string {
    return path.basename(this.dir);
  }

  /** Creates `<jobsDir>/<id>/` with its job.json. */
  static create(jobsDir: string, record: Omit<JobRecord, 'formatVersion' | 'id' | 'createdAt' | 'updatedAt' | 'status' | 'frameCount'>): JobFolder {
    const id = newJobId();
    const job = new JobFolder(path.join(jobsDir, id));
    fs.mkdirSync(path.join(job.dir, 'final'), { recursive: true });
    fs.mkdirSync(path.join(job.dir, 'preview'), { recursive: true });
    const now = new Date().toISOString();
    job.write({ formatVersion: 1, id, createdAt: now, updatedAt: now, status: 'queued', frameCount: 0, ...record });
    return job;
  }

  /** An existing job by id; not_found when there is none (ids are checked, never paths). */
  static open(jobsDir: string, id: string): JobFolder {
    if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new StudioFailure('invalid_request', `"${id}" is not a job id.`);
    const job = new JobFolder(path.join(jobsDir, id));
    if (!fs.existsSync(path.join(job.dir, JOB_FILE))) throw new StudioFailure('not_found', `There is no render job ${id}.`);
    return job;
  }

  read(): JobRecord {
    const file = path.join(this.dir, JOB_FILE);
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new StudioFailure('io_error', `${file} could not be read: ${(error as Error).message}`);
    }
    const parsed = JobRecordSchema.safeParse(json);
    if (!parsed.success) throw new StudioFailure('io_error', `${file} is not a valid job record: ${parsed.error.issues[0].message}`);
    return parsed.data;
  }

  write(record: JobRecord): void {
    writeFileAtomic(path.join(this.dir, JOB_FILE), [`${JSON.stringify(JobRecordSchema.parse(record), null, 2)}\n`]);
  }

  update(change: Partial<Omit<JobRecord, 'formatVersion' | 'id'>>): JobRecord {
    const next = { ...this.read(), ...change, updatedAt: new Date().toISOString() };
    this.write(next);
    return next;
  }

  framePath(kind: JobFrameKind, index: number): string {
    return path.join(this.dir, kind, frameFileName(index));
  }

  /**
   * Final frames are synced to disk before the rename (a resume trusts them); previews are only
   * renamed into place: they are replaced within seconds, and an fsync per preview file cost
   * more than the rest of the loop's own work together (measured on the tiny model).
   */
  writeFrame(kind: JobFrameKind, index: number, png: Uint8Array): void {
    const target = this.framePath(kind, index);
    if (kind === 'final') return writeFileAtomic(target, [png]);
    const temp = tempPathFor(target);
    fs.writeFileSync(temp, png);
    fs.renameSync(temp, target);
  }

  /** Final frames on disk, ascending (stray temp files are ignored). */
  finishedFrames(): number[] {
    const dir = path.join(this.dir, 'final');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((n) => /^\d{6}\.png$/.test(n))
      .map((n) => Number.parseInt(n, 10))
      .sort((a, b) => a - b);
  }

  get motionCache(): string {
    return path.join(this.dir, 'motion.rgb');
  }

  summary(): RenderJob {
    const record = this.read();
    return { jobId: record.id, dir: this.dir, status: record.status, frameCount: record.frameCount, finishedFrames: this.finishedFrames() };
  }
}
