// The project as it crosses the contract and as it lies on disk (format version 1). On the wire
// every input path is ABSOLUTE; on disk the main side stores them relative to the project file
// (src/main/project/), so a project folder can be moved or copied as a whole.
//
// NOTE: this file must not import contract.ts (contract.ts imports it). The role and format enums
// therefore repeat MediaRoleSchema / ExportFormatSchema; tests/project checks they stay equal.
import { z } from 'zod';
import { RenderParamsSchema } from './renderParams';

export const PROJECT_FORMAT_VERSION = 1;
/** Project files are JSON; the extension lets the open dialog filter them. */
export const PROJECT_EXTENSION = '.maproj';

const JOB_ID = /^[A-Za-z0-9_-]{1,128}$/;
const FilePathSchema = z.string().min(1).max(4096);
const TimestampSchema = z.iso.datetime({ offset: true });

export const ProjectRoleSchema = z.enum(['motion', 'reference', 'audio']);
export const ProjectExportFormatSchema = z.enum(['mp4', 'webm', 'gif', 'png']);

/** "WIDTHxHEIGHT", e.g. "512x512"; both sides 16…8192. */
export const FrameSizeSchema = z
  .string()
  .regex(/^\d{2,4}x\d{2,4}$/, 'Expected a size like 512x512.')
  .refine((s) => s.split('x').every((n) => Number(n) >= 16 && Number(n) <= 8192), 'Each side must be 16 to 8192 pixels.');

export const ProjectInputSchema = z.object({ role: ProjectRoleSchema, path: FilePathSchema }).strict();
export type ProjectInput = z.infer<typeof ProjectInputSchema>;

/** One render of this project: a job folder under `<dataDir>/jobs/<jobId>/`. */
const MediaIdSchema = z.string().min(1).max(128);
export const TakeInputsSchema = z.object({ motionId: MediaIdSchema, referenceId: MediaIdSchema }).strict();
export type TakeInputs = z.infer<typeof TakeInputsSchema>;

export const ProjectTakeSchema = z
  .object({
    jobId: z.string().regex(JOB_ID),
    name: z.string().min(1).max(200),
    params: RenderParamsSchema,
    createdAt: TimestampSchema,
    status: z.enum(['queued', 'running', 'success', 'error', 'aborted']),
    /**
     * The media the take was rendered from (ids of the decoded caches, which name the file's path,
     * size and time), so the editor can mark the take outdated when an input changes and show it
     * beside its own inputs. Absent in takes saved before this was recorded.
     */
    inputs: TakeInputsSchema.optional(),
  })
  .strict();
export type ProjectTake = z.infer<typeof ProjectTakeSchema>;

export const ExportLayoutSchema = z.enum(['result', 'grid']);
export const ExportAudioSourceSchema = z.enum(['none', 'motion', 'file']);

export const ProjectExportSettingsSchema = z
  .object({
    format: ProjectExportFormatSchema,
    /** null: the motion clip's own rate. */
    fps: z.number().positive().max(240).nullable(),
    /** null: the render size. For 'grid' this is the size of each of the three cells. */
    size: FrameSizeSchema.nullable(),
    layout: ExportLayoutSchema,
    audio: ExportAudioSourceSchema,
    /** The last destination chosen (stored relative to the project file, like the inputs). */
    outPath: FilePathSchema.nullable(),
  })
  .strict();
export type ProjectExportSettings = z.infer<typeof ProjectExportSettingsSchema>;

/** 'overlay': DensePose drawn over the output (the editor's opacity slider is not saved). */
export const ViewerModeSchema = z.enum(['output', 'motion', 'reference', 'sideBySide', 'grid', 'overlay']);
export type ViewerMode = z.infer<typeof ViewerModeSchema>;

export const ProjectSchema = z
  .object({
    formatVersion: z.literal(PROJECT_FORMAT_VERSION),
    /** Also the autosave file name, hence the strict alphabet. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().min(1).max(200),
    createdAt: TimestampSchema,
    modifiedAt: TimestampSchema,
    inputs: z
      .array(ProjectInputSchema)
      .max(3)
      .refine((inputs) => new Set(inputs.map((i) => i.role)).size === inputs.length, 'Each role may have one input only.'),
    render: RenderParamsSchema,
    /** In/out marks, inclusive timeline frames, null when unset (as in the editor). */
    range: z.object({ in: z.number().int().nonnegative().nullable(), out: z.number().int().nonnegative().nullable() }).strict(),
    playhead: z.number().int().nonnegative(),
    takes: z.array(ProjectTakeSchema).max(1000),
    /** The take the viewer shows, if any. */
    activeTake: z.string().regex(JOB_ID).nullable(),
    export: ProjectExportSettingsSchema,
    viewerMode: ViewerModeSchema,
  })
  .strict();
export type Project = z.infer<typeof ProjectSchema>;

/** An input whose file is not where the project says (the project still opens). */
export const MissingInputSchema = z.object({ role: ProjectRoleSchema, path: z.string(), reason: z.string() }).strict();
export type MissingInput = z.infer<typeof MissingInputSchema>;

export const OpenedProjectSchema = z.object({
  /** Where the project lives (saving writes here). */
  path: z.string(),
  project: ProjectSchema,
  missing: z.array(MissingInputSchema),
  /** True when it was read from the `.bak` copy beside `path`. */
  fromBackup: z.boolean(),
});
export type OpenedProject = z.infer<typeof OpenedProjectSchema>;

export const RecentProjectSchema = z.object({ path: z.string(), name: z.string(), exists: z.boolean() });
export type RecentProject = z.infer<typeof RecentProjectSchema>;

/** Unsaved work found in the autosave folder at start: edits made after the project's last save. */
export const RecoverableProjectSchema = z
  .object({
    id: ProjectSchema.shape.id,
    name: z.string(),
    /** When the autosave was written (the edits are at least this recent). */
    autosavedAt: TimestampSchema,
    /** The project file it belongs to; null for a project never saved. */
    origin: z.string().nullable(),
  })
  .strict();
export type RecoverableProject = z.infer<typeof RecoverableProjectSchema>;
