// Native open/save dialogs and message boxes: the requests only the Electron shell can answer.
import { dialog, type BrowserWindow, type FileFilter, type OpenDialogOptions } from 'electron';
import { extname } from 'node:path';
import { PROJECT_EXTENSION } from '../../shared/projectFile';
import type { Handlers } from '../services/serviceTypes';

const MEDIA_EXTENSIONS = ['mp4', 'mov', 'm4v', 'webm', 'mkv', 'avi', 'gif', 'png', 'jpg', 'jpeg', 'webp', 'wav', 'mp3', 'm4a', 'aac', 'flac', 'ogg'];
const PROJECT_FILTER: FileFilter = { name: 'MagicAnimate Studio project', extensions: [PROJECT_EXTENSION.slice(1)] };
const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

function openOptions(kind: 'media' | 'project' | 'modelFolder'): OpenDialogOptions {
  switch (kind) {
    case 'media':
      return { title: 'Open media', properties: ['openFile', 'multiSelections'], filters: [{ name: 'Video, image or audio', extensions: MEDIA_EXTENSIONS }, ALL_FILES] };
    case 'project':
      return { title: 'Open project', properties: ['openFile'], filters: [PROJECT_FILTER, ALL_FILES] };
    case 'modelFolder':
      return { title: 'Choose a model folder', properties: ['openDirectory'] };
  }
}

export function dialogHandlers(window: () => BrowserWindow | null): Handlers {
  return {
    'dialog.open': async ({ kind }) => {
      const parent = window();
      const options = openOptions(kind);
      const result = parent ? await dialog.showOpenDialog(parent, options) : await dialog.showOpenDialog(options);
      return { paths: result.canceled ? [] : result.filePaths };
    },
    'dialog.save': async ({ kind, defaultName }) => {
      const parent = window();
      const ext = extname(defaultName).slice(1);
      const filters = kind === 'project' ? [PROJECT_FILTER] : ext ? [{ name: ext.toUpperCase(), extensions: [ext] }, ALL_FILES] : [ALL_FILES];
      const options = { title: kind === 'project' ? 'Save project' : 'Export', defaultPath: defaultName, filters };
      const result = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
      return { path: result.canceled || !result.filePath ? null : result.filePath };
    },
    'dialog.confirm': async ({ title, message, confirm, cancel }) => {
      const parent = window();
      // Cancel is the default and what Escape gives: replacing needs a deliberate click.
      const options = { type: 'warning' as const, title, message: title, detail: message, buttons: [cancel, confirm], defaultId: 0, cancelId: 0, noLink: true };
      const result = parent ? await dialog.showMessageBox(parent, options) : await dialog.showMessageBox(options);
      return { confirmed: result.response === 1 };
    },
  };
}
