// A take against the project's current inputs: outdated when the reference or the motion clip was
// replaced after it was rendered, and the media to show beside it (its own, never the new ones).
// Pure.
import type { ProjectTake } from '../../shared/projectFile';
import type { ProjectState } from './projectState';

export type ChangedInput = 'motion' | 'reference';

/** Which inputs changed since `take` was rendered (empty: up to date, or not recorded). */
export function changedInputs(state: ProjectState, take: ProjectTake): ChangedInput[] {
  if (!take.inputs) return [];
  const changed: ChangedInput[] = [];
  if (state.motion?.id !== take.inputs.motionId) changed.push('motion');
  if (state.reference?.id !== take.inputs.referenceId) changed.push('reference');
  return changed;
}

/** The media ids to show with `take`: its own when recorded, else the project's. */
export function takeMediaIds(state: ProjectState, take: ProjectTake | null): { motionId: string | null; referenceId: string | null } {
  if (take?.inputs) return take.inputs;
  return { motionId: state.motion?.id ?? null, referenceId: state.reference?.id ?? null };
}
