// The Model manager's state: whether it is open, the import form, the import in flight (filled in
// by models.progress) and how the last one ended. `revision` counts changes to the installed
// models (an import finished, a model removed) so every model list refetches. Pure updates.
import { ModelFrameSizeSchema, type EventOf, type ModelFrameSize, type ModelImportRequest } from '../../shared/contract';

export interface ImportForm {
  sd15Dir: string;
  vaeDir: string;
  magicAnimateDir: string;
  textEmbeddingPath: string;
  name: string;
  fp16: boolean;
  /** "WIDTHxHEIGHT", or empty for the checkpoints' native size. */
  frameSize: string;
}

export interface ImportTask {
  importId: string;
  name: string;
  network: string;
  fraction: number;
  message: string;
  etaSec: number | null;
}

/** How the last import or removal ended, shown in the dialog until the next one starts. */
export type ManagerOutcome = { kind: 'imported'; name: string } | { kind: 'aborted'; name: string } | { kind: 'error'; title: 'import' | 'remove'; message: string; code?: string };

export interface ModelManagerState {
  open: boolean;
  revision: number;
  form: ImportForm;
  task: ImportTask | null;
  /** The request is on its way and no import id has come back yet. */
  starting: boolean;
  outcome: ManagerOutcome | null;
}

export const EMPTY_FORM: ImportForm = { sd15Dir: '', vaeDir: '', magicAnimateDir: '', textEmbeddingPath: '', name: '', fp16: false, frameSize: '' };

export const INITIAL_MANAGER: ModelManagerState = { open: false, revision: 0, form: EMPTY_FORM, task: null, starting: false, outcome: null };

export type FormProblem = 'folders' | 'name' | 'frameSize' | null;

/** "512x768" (or "512×768", "512 x 768") → its sides when the contract accepts them (multiples of 64, 64…2048). */
export function parseFrameSize(text: string): ModelFrameSize | null {
  const m = /^\s*(\d{2,4})\s*[x×]\s*(\d{2,4})\s*$/i.exec(text);
  const parsed = m ? ModelFrameSizeSchema.safeParse({ width: Number(m[1]), height: Number(m[2]) }) : null;
  return parsed?.success ? parsed.data : null;
}

/** What still blocks Import (a folder or the name is empty, a size that cannot be compiled). */
export function formProblem(form: ImportForm): FormProblem {
  if (![form.sd15Dir, form.vaeDir, form.magicAnimateDir].every((p) => p.trim())) return 'folders';
  if (form.frameSize.trim() && !parseFrameSize(form.frameSize)) return 'frameSize';
  return form.name.trim() ? null : 'name';
}

export function importRequest(form: ImportForm): ModelImportRequest {
  const embedding = form.textEmbeddingPath.trim();
  return {
    sd15Dir: form.sd15Dir.trim(),
    vaeDir: form.vaeDir.trim(),
    magicAnimateDir: form.magicAnimateDir.trim(),
    name: form.name.trim(),
    precision: form.fp16 ? 'fp16' : 'fp32',
    ...(embedding ? { textEmbeddingPath: embedding } : {}),
    ...(form.frameSize.trim() ? { frameSize: parseFrameSize(form.frameSize) ?? undefined } : {}),
  };
}

export function importStarting(state: ModelManagerState): ModelManagerState {
  return { ...state, starting: true, outcome: null };
}

export function importRefused(state: ModelManagerState, message: string, code: string): ModelManagerState {
  return { ...state, starting: false, outcome: { kind: 'error', title: 'import', message, code } };
}

export function importStarted(state: ModelManagerState, importId: string, name: string): ModelManagerState {
  return { ...state, starting: false, task: { importId, name, network: '', fraction: 0, message: '', etaSec: null } };
}

/** Progress of the import this window started; other ids are ignored. */
export function importProgress(state: ModelManagerState, event: EventOf<'models.progress'>): ModelManagerState {
  if (state.task?.importId !== event.importId) return state;
  const { network, fraction, message, etaSec } = event;
  return { ...state, task: { ...state.task, network, fraction, message, etaSec } };
}

/** Any finished import changes the list; the one this window started also ends its task. */
export function importDone(state: ModelManagerState, event: EventOf<'models.done'>): ModelManagerState {
  const revision = state.revision + 1;
  if (state.task?.importId !== event.importId) return { ...state, revision };
  const name = state.task.name;
  const outcome: ManagerOutcome =
    event.status === 'success'
      ? { kind: 'imported', name: event.model?.name ?? name }
      : event.status === 'aborted'
        ? { kind: 'aborted', name }
        : { kind: 'error', title: 'import', message: event.error?.message ?? '', code: event.error?.code };
  const form = event.status === 'success' ? { ...state.form, name: '' } : state.form;
  return { ...state, revision, task: null, outcome, form };
}

export function modelRemoved(state: ModelManagerState): ModelManagerState {
  return { ...state, revision: state.revision + 1, outcome: null };
}

/** "37.2 MB" / "3.44 GB" (decimal units, as file managers show them). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${units[unit]}`;
}
