// Messages between the main side and the render worker (one job per worker process).
//
//   main → worker:  start (once), cancel (soft: stops before the next network call)
//   worker → main:  progress, segment (final or preview frames on disk), log, and exactly one done;
//                   nothing follows done. A worker that exits without done is reported by the host
//                   as a worker_crashed error (host.ts), so a job always ends with one done.
//
// Payloads are plain JSON-safe data (both Electron's parentPort and Node's IPC channel carry them),
// and each side validates what it receives: a message is data from another process.
import { z } from 'zod';
import { RenderParamsSchema } from '../../shared/renderParams';

export const RenderJobSpecSchema = z
  .object({
    jobDir: z.string().min(1),
    modelDir: z.string().min(1),
    demoDataDir: z.string().min(1).optional(),
    ffmpeg: z.object({ bin: z.string().min(1), version: z.object({ major: z.number(), minor: z.number() }).nullable() }),
    motionPath: z.string().min(1),
    referencePath: z.string().min(1),
    params: RenderParamsSchema,
    bankPrecision: z.enum(['fp16', 'fp32']),
    noisePath: z.string().min(1).optional(),
    saveLatentsPath: z.string().min(1).optional(),
    saveInputsPath: z.string().min(1).optional(),
    resume: z.boolean(),
    previewIntervalMs: z.number().nonnegative().optional(),
  })
  .strict();

export const WorkerRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), spec: RenderJobSpecSchema }).strict(),
  z.object({ type: z.literal('cancel') }).strict(),
]);
export type WorkerRequest = z.infer<typeof WorkerRequestSchema>;

const ErrorSchema = z.object({ code: z.string(), message: z.string() });

export const JobSummarySchema = z.object({
  frames: z.number(),
  windows: z.array(z.array(z.number())),
  skipped: z.number(),
  unetCalls: z.number(),
  ortMs: z.number(),
  ortMsByNetwork: z.record(z.string(), z.number()),
  phasesMs: z.object({ model: z.number(), inputs: z.number(), sampling: z.number() }),
  totalMs: z.number(),
  provider: z.string(),
});

export const WorkerEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('progress'),
    phase: z.enum(['loading', 'encoding', 'sampling', 'decoding']),
    step: z.number(),
    steps: z.number(),
    window: z.number(),
    windows: z.number(),
    fraction: z.number(),
    etaSec: z.number().nullable(),
  }),
  z.object({ type: z.literal('segment'), start: z.number().int(), end: z.number().int(), kind: z.enum(['final', 'preview']), step: z.number().int() }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: z.string() }),
  z.object({
    type: z.literal('done'),
    status: z.enum(['success', 'error', 'aborted']),
    error: ErrorSchema.optional(),
    summary: JobSummarySchema.optional(),
    /** Peak resident memory of the worker process, in bytes (for the benchmarks). */
    peakRssBytes: z.number().optional(),
  }),
]);
export type WorkerEvent = z.infer<typeof WorkerEventSchema>;
export type WorkerDone = Extract<WorkerEvent, { type: 'done' }>;

/** Parses a message that arrived from the other process; null when it is not one of ours. */
export function parseWorkerEvent(message: unknown): WorkerEvent | null {
  const parsed = WorkerEventSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}

export function parseWorkerRequest(message: unknown): WorkerRequest | null {
  const parsed = WorkerRequestSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}
