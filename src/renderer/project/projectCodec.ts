// The editor's state ↔ the project file (src/shared/projectFile.ts). Pure: opening a project also
// has to import its inputs (media.import), which projectActions does before calling stateFromProject.
import type { ImportedMedia } from '../../shared/contract';
import { PROJECT_FORMAT_VERSION, type Project, type ProjectInput } from '../../shared/projectFile';
import { EMPTY_PROJECT, projectReducer, type ProjectState } from '../state/projectState';

/** What the project file holds beyond the editor state. */
export interface ProjectMeta {
  id: string;
  name: string;
  createdAt: string;
}

const ROLES = ['motion', 'reference', 'audio'] as const;

export function toProjectFile(state: ProjectState, meta: ProjectMeta, now: Date = new Date()): Project {
  const inputs: ProjectInput[] = ROLES.flatMap((role) => {
    const media = state[role];
    return media ? [{ role, path: media.info.path }] : [];
  });
  return {
    formatVersion: PROJECT_FORMAT_VERSION,
    id: meta.id,
    name: meta.name,
    createdAt: meta.createdAt,
    modifiedAt: now.toISOString(),
    inputs,
    render: state.render,
    range: state.range,
    playhead: state.playhead,
    takes: [...state.takes],
    activeTake: state.activeTake,
    export: state.exportSettings,
    viewerMode: state.viewerMode,
  };
}

export function metaOf(project: Project): ProjectMeta {
  return { id: project.id, name: project.name, createdAt: project.createdAt };
}

/**
 * The editor state for an opened project, given its inputs as imported (missing ones absent).
 * Marks and playhead go through the reducer so they are clamped to the clip as it is now.
 */
export function stateFromProject(project: Project, media: readonly ImportedMedia[], names: Record<string, string> = {}): ProjectState {
  let state: ProjectState = {
    ...EMPTY_PROJECT,
    names,
    render: project.render,
    takes: project.takes,
    activeTake: project.activeTake && project.takes.some((t) => t.jobId === project.activeTake) ? project.activeTake : (project.takes.at(-1)?.jobId ?? null),
    exportSettings: project.export,
    viewerMode: project.viewerMode,
  };
  for (const item of media) state = projectReducer(state, { type: 'media.set', media: item });
  if (project.range.in !== null) state = projectReducer(state, { type: 'range.in', frame: project.range.in });
  if (project.range.out !== null) state = projectReducer(state, { type: 'range.out', frame: project.range.out });
  return projectReducer(state, { type: 'playhead.set', frame: project.playhead });
}

/** True when the parts of the project that are saved differ (the playhead alone does not count). */
export function hasUnsavedEdits(saved: ProjectState, current: ProjectState): boolean {
  return (
    saved.motion !== current.motion ||
    saved.reference !== current.reference ||
    saved.audio !== current.audio ||
    saved.range !== current.range ||
    saved.render !== current.render ||
    saved.takes !== current.takes ||
    saved.exportSettings !== current.exportSettings
  );
}
