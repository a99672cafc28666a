// What an export request says, from the dialog's settings and the project (pure, tested): the
// fps defaults to the motion clip's, the range is the take's frames inside the in/out marks, and
// the destination defaults to the data folder's exports/ with the format's extension.
import type { ExportFormat, RequestOf } from '../../shared/contract';
import type { ProjectExportSettings, ProjectTake } from '../../shared/projectFile';
import type { InOutRange } from '../state/projectState';

export type ExportRequest = RequestOf<'export.start'>;

export const EXTENSIONS: Record<ExportFormat, string> = { mp4: '.mp4', webm: '.webm', gif: '.gif', png: '' };

/** GIF and PNG sequences carry no sound. */
export const formatHasAudio = (format: ExportFormat): boolean => format === 'mp4' || format === 'webm';

/** A file name from a project or take name: letters, digits, dashes. */
export function safeFileStem(name: string): string {
  const stem = name.normalize('NFKC').replace(/[^\p{L}\p{N}_-]+/gu, '-').replace(/^-+|-+$/g, '');
  return stem.slice(0, 80) || 'export';
}

/** Replace (or add) the extension the format needs; a PNG sequence is a folder, without one. */
export function withFormatExtension(path: string, format: ExportFormat): string {
  const base = path.replace(/\.(mp4|webm|gif|png)$/i, '');
  return `${base}${EXTENSIONS[format]}`;
}

export function defaultExportPath(dataDir: string, projectName: string, takeName: string, format: ExportFormat): string {
  const sep = dataDir.includes('\\') && !dataDir.includes('/') ? '\\' : '/';
  const folder = dataDir.replace(/[\\/]+$/, '');
  return withFormatExtension(`${folder}${sep}exports${sep}${safeFileStem(`${projectName}-${takeName}`)}`, format);
}

/** The take's output frames [start, end) that fall inside the in/out marks (all of them when unmarked). */
export function exportRange(take: ProjectTake, frameCount: number, marks: InOutRange, useMarks: boolean): { start: number; end: number } {
  const offset = take.params.range?.start ?? 0;
  if (!useMarks || (marks.in === null && marks.out === null)) return { start: 0, end: frameCount };
  const start = Math.max(0, (marks.in ?? 0) - offset);
  const end = Math.min(frameCount, (marks.out ?? Number.MAX_SAFE_INTEGER) + 1 - offset);
  return end > start ? { start, end } : { start: 0, end: frameCount };
}

/**
 * The path to send: one directly inside the data folder's `folder` (exports/, projects/) goes as
 * its bare name, which the main side places there, creating the folder; any other path as typed.
 */
export function requestPath(outPath: string, dataDir: string, folder = 'exports'): string {
  const exportsDir = `${dataDir.replace(/[\\/]+$/, '')}/${folder}/`;
  const normalized = outPath.replace(/\\/g, '/');
  const inside = dataDir !== '' && normalized.startsWith(exportsDir.replace(/\\/g, '/'));
  const name = normalized.slice(exportsDir.length);
  return inside && name !== '' && !name.includes('/') ? name : outPath;
}

export interface ExportInputs {
  take: ProjectTake;
  frameCount: number;
  settings: ProjectExportSettings;
  marks: InOutRange;
  useMarks: boolean;
  sourceFps: number;
  outPath: string;
  /** The audio track's file, for audio 'file'. */
  audioFile: string | null;
}

/** The export.start request, or the reason it cannot be made. */
export function exportRequest(inputs: ExportInputs): { request: ExportRequest } | { problem: 'noFrames' | 'noPath' | 'noAudioFile' | 'badFps' } {
  const { take, settings } = inputs;
  if (inputs.frameCount <= 0) return { problem: 'noFrames' };
  if (!inputs.outPath.trim()) return { problem: 'noPath' };
  const fps = settings.fps ?? inputs.sourceFps;
  if (!(fps > 0 && fps <= 240)) return { problem: 'badFps' };
  let audio: ExportRequest['audio'] = { source: 'none' };
  if (formatHasAudio(settings.format) && settings.audio === 'motion') audio = { source: 'motion' };
  if (formatHasAudio(settings.format) && settings.audio === 'file') {
    if (!inputs.audioFile) return { problem: 'noAudioFile' };
    audio = { source: 'file', path: inputs.audioFile };
  }
  return {
    request: {
      jobId: take.jobId,
      format: settings.format,
      outPath: withFormatExtension(inputs.outPath.trim(), settings.format),
      fps,
      range: exportRange(take, inputs.frameCount, inputs.marks, inputs.useMarks),
      audio,
      layout: settings.layout,
      ...(settings.size ? { size: settings.size } : {}),
    },
  };
}
