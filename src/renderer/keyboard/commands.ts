// What each command does. Commands change the project only through dispatch(), and the view
// stores (zoom, help) through their own setters.
import type { StudioApi } from '../../shared/contract';
import { openExportDialog } from '../export/exportActions';
import { openMedia } from '../import/importMedia';
import { openProject, saveProject } from '../project/projectActions';
import { renderCommand } from '../render/renderActions';
import { stopPlayback, togglePlayback } from '../playback/player';
import { timelineLength } from '../state/projectState';
import { dispatch, projectStore, redoEdit, uiStore, undoEdit, zoomStore } from '../state/stores';
import { dismissAllErrors, setExportOpen, setHelpOpen } from '../state/uiState';
import { stepZoom } from '../timeline/timelineMath';
import type { Command } from './shortcuts';

export interface CommandContext {
  api: StudioApi;
  /** Opens the browser file picker (the fallback when there is no native dialog). */
  pickFiles: () => void;
}

export function runCommand(command: Command, context: CommandContext): void {
  const state = projectStore.get();
  switch (command.type) {
    case 'step':
      stopPlayback();
      return dispatch({ type: 'playhead.step', delta: command.delta });
    case 'home':
      stopPlayback();
      return dispatch({ type: 'playhead.set', frame: 0 });
    case 'end':
      stopPlayback();
      return dispatch({ type: 'playhead.set', frame: timelineLength(state) - 1 });
    case 'togglePlay':
      return togglePlayback();
    case 'markIn':
      return dispatch({ type: 'range.in', frame: state.playhead });
    case 'markOut':
      return dispatch({ type: 'range.out', frame: state.playhead });
    case 'clearRange':
      return dispatch({ type: 'range.clear' });
    case 'zoom':
      return zoomStore.set((z) => stepZoom(z, command.direction));
    case 'open':
      void openMedia(context.api, context.pickFiles);
      return;
    case 'toggleHelp':
      return uiStore.set((u) => setHelpOpen(u, !u.helpOpen));
    case 'escape':
      return uiStore.set((u) => (u.helpOpen ? setHelpOpen(u, false) : u.exportOpen ? setExportOpen(u, false) : dismissAllErrors(u)));
    default:
      return runWorkflowCommand(command, context);
  }
}

/** Render, export, project and history commands. */
function runWorkflowCommand(command: Command, context: CommandContext): void {
  switch (command.type) {
    case 'render':
      return renderCommand(context.api);
    case 'export':
      return openExportDialog();
    case 'save':
      void saveProject(context.api);
      return;
    case 'saveAs':
      void saveProject(context.api, true);
      return;
    case 'openProject':
      void openProject(context.api);
      return;
    case 'undo':
      undoEdit();
      return;
    case 'redo':
      redoEdit();
      return;
  }
}
