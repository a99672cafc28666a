// The one contract between the renderer and the main side (STYLE.md §1). Every request is a key of
// `requests`: its channel name is the key, its input is validated with the schema on arrival, and
// its reply is a Result envelope. Events are plain data tagged by `type` (STYLE.md §3).
//
// Both transports implement `StudioApi`: the Electron preload (ipcRenderer.invoke per channel) and
// the browser-mode WebSocket client. Neither adds methods of its own beyond `transport`.
import { z } from 'zod';
import type { Result } from './result';
import {
  ExportLayoutSchema,
  FrameSizeSchema,
  OpenedProjectSchema,
  ProjectSchema,
  RecentProjectSchema,
  RecoverableProjectSchema,
} from './projectFile';
import { RenderParamsSchema } from './renderParams';

// ---------------------------------------------------------------------------------------------
// Shared value schemas

export const MediaRoleSchema = z.enum(['motion', 'reference', 'audio']);
export type MediaRole = z.infer<typeof MediaRoleSchema>;

/** An absolute path on the main side's file system. Bounded so a payload cannot be huge. */
export const PathSchema = z.string().min(1).max(4096);

export const MediaInfoSchema = z.object({
  path: z.string(),
  kind: z.enum(['video', 'image', 'audio']),
  width: z.number().int().nonnegative(),
  height: z.number().int().nonnegative(),
  /** Frames per second (videos); 0 for images and audio. */
  fps: z.number().nonnegative(),
  /** Frame count (videos: counted or derived from duration·fps; images: 1; audio: 0). */
  frameCount: z.number().int().nonnegative(),
  durationSec: z.number().nonnegative(),
  hasAudio: z.boolean(),
  codec: z.string().optional(),
  audioCodec: z.string().optional(),
  sampleRate: z.number().optional(),
});
export type MediaInfo = z.infer<typeof MediaInfoSchema>;

export const ImportedMediaSchema = z.object({
  /** Stable id of the decoded cache (hash of path, size and mtime). */
  id: z.string(),
  role: MediaRoleSchema,
  info: MediaInfoSchema,
  /** Non-fatal findings, e.g. "this clip does not look like DensePose". */
  warnings: z.array(z.string()),
});
export type ImportedMedia = z.infer<typeof ImportedMediaSchema>;

export const SettingsSchema = z.object({
  language: z.enum(['en', 'ja']),
  provider: z.enum(['auto', 'cpu', 'cuda', 'dml', 'webgpu']),
  threads: z.number().int().min(0).max(256),
  recentFiles: z.array(z.string()).max(20),
  recentProjects: z.array(z.string()).max(20),
  timelineZoom: z.number().min(0.1).max(64),
});
export type Settings = z.infer<typeof SettingsSchema>;
export const DEFAULT_SETTINGS: Settings = {
  language: 'en',
  provider: 'auto',
  threads: 0,
  recentFiles: [],
  recentProjects: [],
  timelineZoom: 1,
};

export const AppInfoSchema = z.object({
  mode: z.enum(['electron', 'browser']),
  version: z.string(),
  platform: z.string(),
  dataDir: z.string(),
  ffmpeg: z.object({ path: z.string(), source: z.string() }).nullable(),
  ffprobe: z.object({ path: z.string(), source: z.string() }).nullable(),
  /** Human-readable notes about what is missing and what still works. */
  notes: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const ModelInfoSchema = z.object({
  id: z.string(),
  name: z.string(),
  dir: z.string(),
  configName: z.enum(['tiny', 'sd15']),
  precision: z.enum(['fp32', 'fp16']),
  sizeBytes: z.number().nonnegative(),
  source: z.string(),
  /** The frame size its graphs were compiled for, in pixels (the demo 128×128, SD1.5 512×512 unless chosen). */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
export type ModelInfo = z.infer<typeof ModelInfoSchema>;

export const RenderJobSchema = z.object({
  jobId: z.string(),
  dir: z.string(),
  status: z.enum(['queued', 'running', 'success', 'error', 'aborted']),
  frameCount: z.number().int().nonnegative(),
  finishedFrames: z.array(z.number().int()),
});
export type RenderJob = z.infer<typeof RenderJobSchema>;

export const ExportFormatSchema = z.enum(['mp4', 'webm', 'gif', 'png']);
export type ExportFormat = z.infer<typeof ExportFormatSchema>;

/** A frame size a model can be compiled for: both sides multiples of 64 (SD1.5's UNet), 64…2048. */
const ModelSideSchema = z.number().int().min(64).max(2048).multipleOf(64);
export const ModelFrameSizeSchema = z.object({ width: ModelSideSchema, height: ModelSideSchema }).strict();
export type ModelFrameSize = z.infer<typeof ModelFrameSizeSchema>;

/** What 'models.import' compiles: the three checkpoint folders (absolute paths) and the display name. */
export const ModelImportRequestSchema = z
  .object({
    sd15Dir: PathSchema,
    vaeDir: PathSchema,
    magicAnimateDir: PathSchema,
    name: z.string().trim().min(1).max(100),
    precision: z.enum(['fp32', 'fp16']),
    /** A CLIP("") embedding (.safetensors) for checkpoint sets without a text encoder (e.g. the tiny set). */
    textEmbeddingPath: PathSchema.optional(),
    /** The size the model will render at; default the checkpoints' native square (SD1.5: 512×512). */
    frameSize: ModelFrameSizeSchema.optional(),
  })
  .strict();
export type ModelImportRequest = z.infer<typeof ModelImportRequestSchema>;

/** How a parent folder holds the three checkpoint folders ('models.findCheckpoints'). */
export const CheckpointLayoutSchema = z.enum(['official', 'huggingface-cache', 'side-by-side']);
export const FoundCheckpointsSchema = z.object({
  sd15Dir: z.string(),
  vaeDir: z.string(),
  magicAnimateDir: z.string(),
  layout: CheckpointLayoutSchema,
});

/** An input a finished import did not need (the SD1.5 UNet file when the ckpt holds every UNet3D weight). */
export const NotNeededSchema = z.object({ role: z.literal('unetWeights'), file: z.string().nullable(), reason: z.string() });
export type NotNeededInput = z.infer<typeof NotNeededSchema>;

// ---------------------------------------------------------------------------------------------
// Requests: channel → { input, output }. Outputs are typed; inputs are validated on arrival.

const empty = z.object({}).strict();
const ProjectIdSchema = ProjectSchema.shape.id;

export const requests = {
  'app.info': { input: empty, output: AppInfoSchema },

  'settings.get': { input: empty, output: SettingsSchema },
  'settings.set': { input: SettingsSchema.partial().strict(), output: SettingsSchema },

  /** Probe a file without importing it. */
  'media.probe': { input: z.object({ path: PathSchema }).strict(), output: MediaInfoSchema },
  /** Probe, check and decode a file into the frame cache so the timeline can scrub it. */
  'media.import': {
    input: z.object({ path: PathSchema, role: MediaRoleSchema }).strict(),
    output: ImportedMediaSchema,
  },
  /** Audio peaks for the waveform, computed on the main side (wavesurfer draws them). */
  'media.peaks': {
    input: z.object({ mediaId: z.string().min(1).max(128), buckets: z.number().int().min(16).max(100_000) }).strict(),
    output: z.object({ peaks: z.array(z.number()), durationSec: z.number() }),
  },

  /** Native open dialog (Electron); browser mode answers not_available and the UI offers a file picker. */
  'dialog.open': {
    input: z.object({ kind: z.enum(['media', 'project', 'modelFolder']) }).strict(),
    output: z.object({ paths: z.array(z.string()) }),
  },
  'dialog.save': {
    input: z.object({ kind: z.enum(['export', 'project']), defaultName: z.string().max(255) }).strict(),
    output: z.object({ path: z.string().nullable() }),
  },
  /** Native yes/no question (Electron), e.g. "replace the existing export?"; browser mode answers not_available and the UI asks in-app. */
  'dialog.confirm': {
    input: z
      .object({ title: z.string().min(1).max(200), message: z.string().max(2000), confirm: z.string().min(1).max(60), cancel: z.string().min(1).max(60) })
      .strict(),
    output: z.object({ confirmed: z.boolean() }),
  },

  'models.list': { input: empty, output: z.array(ModelInfoSchema) },
  /**
   * Compile checkpoint folders into `<dataDir>/models/<slug of name>` in a child process; emits
   * models.progress and exactly one models.done. A name already in use is refused.
   */
  'models.import': { input: ModelImportRequestSchema, output: z.object({ importId: z.string() }) },
  /** Stops an import (its child is killed); its done is 'aborted' and no folder is left. */
  'models.cancelImport': { input: z.object({ importId: z.string().min(1).max(128) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Deletes a model folder. The demo model may be removed too: it is rebuilt on next use. */
  'models.remove': { input: z.object({ id: z.string().min(1).max(128) }).strict(), output: z.object({ removed: z.boolean() }) },

  'render.start': {
    input: z
      .object({
        motionPath: PathSchema,
        referencePath: PathSchema,
        params: RenderParamsSchema,
      })
      .strict(),
    output: RenderJobSchema,
  },
  'render.cancel': {
    input: z.object({ jobId: z.string().min(1).max(128), hard: z.boolean().optional() }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'render.resume': { input: z.object({ jobId: z.string().min(1).max(128) }).strict(), output: RenderJobSchema },
  /** What a job folder holds now (a reopened project's takes); a job no worker runs is never 'running'. */
  'render.job': { input: z.object({ jobId: z.string().min(1).max(128) }).strict(), output: RenderJobSchema },

  'export.start': {
    input: z
      .object({
        jobId: z.string().min(1).max(128),
        format: ExportFormatSchema,
        outPath: PathSchema,
        fps: z.number().positive().max(240),
        /** Frames [start, end) of the job's output (0 = its first rendered frame, i.e. clip frame params.range.start). */
        range: z.object({ start: z.number().int().nonnegative(), end: z.number().int().positive() }).strict(),
        /** The motion clip's own track, or an added file; either is trimmed to the range. */
        audio: z.discriminatedUnion('source', [
          z.object({ source: z.literal('none') }).strict(),
          z.object({ source: z.literal('motion') }).strict(),
          z.object({ source: z.literal('file'), path: PathSchema }).strict(),
        ]),
        /** Output size "WxH" (for 'grid': each cell); default the render size. */
        size: FrameSizeSchema.optional(),
        /** 'grid': reference | DensePose | result side by side, like the official demo. Default 'result'. */
        layout: ExportLayoutSchema.optional(),
        /**
         * Replace what is at outPath (a file, or a PNG sequence an earlier export wrote), moving it
         * to the trash first. Sent only after the person confirmed; without it an existing
         * destination is refused with 'exists'. Never replaces anything else.
         */
        overwrite: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ exportId: z.string() }),
  },
  'export.cancel': { input: z.object({ exportId: z.string().min(1).max(128) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  /** Reveal a finished export in the file manager (Electron: the shell; browser mode: see exportService). */
  'shell.showItem': { input: z.object({ path: PathSchema }).strict(), output: z.object({ shown: z.boolean() }) },

  /** A new, empty project with default render settings (nothing is written). */
  'project.new': { input: z.object({ name: z.string().min(1).max(200).optional() }).strict(), output: ProjectSchema },
  /** Read a project file; input paths come back absolute, with the missing ones listed. */
  'project.open': {
    input: z.object({ path: PathSchema, fromBackup: z.boolean().optional() }).strict(),
    output: OpenedProjectSchema,
  },
  /** Write atomically (the previous version is kept as `<path>.bak`); recorded in the recent list. */
  'project.save': { input: z.object({ path: PathSchema, project: ProjectSchema }).strict(), output: z.object({ path: z.string() }) },
  /**
   * Write `<dataDir>/autosave/<project id>.json`, remembering `origin` (the project's own file, if
   * saved) so a restore can save back there. A save of the project removes its autosave.
   */
  'project.autosave': {
    input: z.object({ project: ProjectSchema, origin: PathSchema.nullable().optional() }).strict(),
    output: z.object({ path: z.string() }),
  },
  /** Autosaves left by sessions that ended without saving, newest first. */
  'project.recoverable': { input: empty, output: z.array(RecoverableProjectSchema) },
  /** Open an autosave; `path` is its origin ('' when never saved), so Ctrl+S saves back there. */
  'project.recover': { input: z.object({ id: ProjectIdSchema }).strict(), output: OpenedProjectSchema },
  /** Throw an autosave away (the person chose not to keep those edits). */
  'project.discardAutosave': { input: z.object({ id: ProjectIdSchema }).strict(), output: z.object({ removed: z.boolean() }) },
  'project.recent': { input: empty, output: z.array(RecentProjectSchema) },
  /** The demo project (made by the app on first use, with its demo model); emits demo.progress. */
  'project.demo': { input: empty, output: OpenedProjectSchema },
} as const;

export type Channel = keyof typeof requests;
export const CHANNELS = Object.keys(requests) as Channel[];
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]['input']>;
export type ResponseOf<C extends Channel> = z.infer<(typeof requests)[C]['output']>;

// ---------------------------------------------------------------------------------------------
// Events: main side → renderer. Each render or export emits exactly one `*.done`, and nothing after.

export type RenderPhase = 'loading' | 'encoding' | 'sampling' | 'decoding';

/** Where a render stands; carried by 'render.progress' events. */
export interface RenderProgress {
  phase: RenderPhase;
  step: number;
  steps: number;
  window: number;
  windows: number;
  /** Fraction of the whole job, 0..1. */
  fraction: number;
  etaSec: number | null;
}

export type StudioEvent =
  | ({ type: 'render.progress'; jobId: string } & RenderProgress)
  | {
      type: 'render.segment';
      jobId: string;
      /** Frame range [start, end) in output frame numbers. */
      start: number;
      end: number;
      kind: 'preview' | 'final';
      step: number;
    }
  | { type: 'render.log'; jobId: string; level: 'info' | 'warn' | 'error'; message: string }
  | {
      type: 'render.done';
      jobId: string;
      status: 'success' | 'error' | 'aborted';
      error?: { code: string; message: string };
    }
  | { type: 'export.progress'; exportId: string; frame: number; total: number; etaSec: number | null }
  | {
      type: 'export.done';
      exportId: string;
      status: 'success' | 'error' | 'aborted';
      path?: string;
      /** What an overwrite replaced went to the trash, or (no trash here) to a backup beside it. */
      replaced?: { to: 'trash' | 'backup'; path: string };
      error?: { code: string; message: string };
    }
  | { type: 'media.progress'; path: string; decoded: number; total: number }
  | {
      type: 'models.progress';
      importId: string;
      /** The network being written ('vae', 'unet3d', …) or the phase ('text-embedding', 'manifest'). */
      network: string;
      /** Fraction of the whole import, 0..1. */
      fraction: number;
      message: string;
      etaSec: number | null;
    }
  | {
      type: 'models.done';
      importId: string;
      status: 'success' | 'error' | 'aborted';
      model?: ModelInfo;
      error?: { code: string; message: string };
      /** On success: inputs the compile did not need, for the import summary. */
      notNeeded?: NotNeededInput[];
    }
  | { type: 'demo.progress'; phase: 'reference' | 'motion' | 'model'; fraction: number };

export type StudioEventType = StudioEvent['type'];
export type EventOf<T extends StudioEventType> = Extract<StudioEvent, { type: T }>;

// ---------------------------------------------------------------------------------------------
// The API object the renderer uses.

export type StudioRequests = { [C in Channel]: (input: RequestOf<C>) => Promise<Result<ResponseOf<C>>> };

/**
 * Browser mode's link to the server: 'connecting' until the first open, 'open', or 'lost' (the
 * server stopped or the socket dropped; the client keeps retrying). Electron has no such link.
 */
export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface ConnectionMonitor {
  state(): ConnectionState;
  /** Called on every change; returns the unsubscribe function. */
  subscribe(listener: (state: ConnectionState) => void): () => void;
  /** Try to reconnect now instead of waiting for the next scheduled attempt. */
  retryNow(): void;
}

export interface StudioTransport {
  kind: 'electron' | 'browser';
  /** Browser mode only: the state of the connection to the server. */
  connection?: ConnectionMonitor;
  /** URL of a cached frame image: a decoded media frame, or a render job's output frame. */
  frameUrl(source: { media: string } | { job: string; kind: 'final' | 'preview' }, index: number): string;
  /** URL of a thumbnail strip image for the motion track (one small image per frame). */
  thumbUrl(mediaId: string, index: number): string;
  /**
   * The main-side path of a File the person dropped or picked. Electron: webUtils in the
   * preload. Browser mode: the bytes are uploaded into the data folder first.
   */
  pathForFile(file: File): Promise<string>;
}

export interface StudioApi {
  request<C extends Channel>(channel: C, input: RequestOf<C>): Promise<Result<ResponseOf<C>>>;
  /** Subscribe to events; returns the unsubscribe function. */
  subscribe(listener: (event: StudioEvent) => void): () => void;
  transport: StudioTransport;
}
