// Messages between the main side and the model-compile child (one compile per child process).
//
//   main → child:  start (once)
//   child → main:  progress (throttled), then exactly one done; nothing follows done.
//
// There is no soft cancel: the compiler writes each network synchronously, so the child could not
// read a cancel message until the network is written. The host kills the child instead and removes
// its `<outDir>.partial` folder (compileHost.ts). Each side validates what it receives.
import { z } from 'zod';
import { ModelFrameSizeSchema, NotNeededSchema } from '../../shared/contract';

export const CompileJobSpecSchema = z
  .object({
    sd15Dir: z.string().min(1),
    vaeDir: z.string().min(1),
    magicAnimateDir: z.string().min(1),
    outDir: z.string().min(1),
    name: z.string().min(1),
    precision: z.enum(['fp32', 'fp16']),
    textEmbeddingPath: z.string().min(1).optional(),
    frameSize: ModelFrameSizeSchema.optional(),
  })
  .strict();
export type CompileJobSpec = z.infer<typeof CompileJobSpecSchema>;

export const CompileRequestSchema = z.object({ type: z.literal('start'), spec: CompileJobSpecSchema }).strict();
export type CompileRequest = z.infer<typeof CompileRequestSchema>;

/** The compiler's CompileProgress, flattened into one JSON-safe shape. */
export const CompileStepSchema = z.object({
  phase: z.enum(['text-embedding', 'network', 'manifest', 'done']),
  network: z.string().optional(),
  index: z.number().int().optional(),
  count: z.number().int().optional(),
  tensor: z.number().int().optional(),
  tensors: z.number().int().optional(),
  fraction: z.number().min(0).max(1),
});
export type CompileStep = z.infer<typeof CompileStepSchema>;

export const CompileEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), step: CompileStepSchema }),
  z.object({
    type: z.literal('done'),
    status: z.enum(['success', 'error']),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    /** Checkpoint keys no network consumed, per file (worth a log line; not an error). */
    unusedKeys: z.record(z.string(), z.array(z.string())).optional(),
    /** Inputs the compile did not need (the import summary says so). */
    notNeeded: z.array(NotNeededSchema).optional(),
  }),
]);
export type CompileEvent = z.infer<typeof CompileEventSchema>;

export function parseCompileEvent(message: unknown): CompileEvent | null {
  const parsed = CompileEventSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}

export function parseCompileRequest(message: unknown): CompileRequest | null {
  const parsed = CompileRequestSchema.safeParse(message);
  return parsed.success ? parsed.data : null;
}
