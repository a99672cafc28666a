// The keyboard map, as data: the key handler and the help overlay both read this one table, so the
// help can never drift from what the keys do. Pure, tested without a DOM.
import type { StringKey } from '../i18n/strings';

export type Command =
  | { type: 'step'; delta: number }
  | { type: 'home' }
  | { type: 'end' }
  | { type: 'togglePlay' }
  | { type: 'markIn' }
  | { type: 'markOut' }
  | { type: 'clearRange' }
  | { type: 'zoom'; direction: 1 | -1 }
  | { type: 'open' }
  | { type: 'toggleHelp' }
  | { type: 'escape' }
  | { type: 'render' }
  | { type: 'export' }
  | { type: 'save' }
  | { type: 'saveAs' }
  | { type: 'openProject' }
  | { type: 'undo' }
  | { type: 'redo' };

/** A key plus modifiers. An omitted `shift` means either; `ctrl` (Ctrl or ⌘) and `alt` must match. */
export interface KeyChord {
  key: string;
  shift?: boolean;
  ctrl?: boolean;
  alt?: boolean;
}

export interface Shortcut {
  command: Command;
  chords: KeyChord[];
  /** How the help overlay writes the keys. */
  label: string;
  help: StringKey;
  /** Also works while typing in a field (Ctrl+Enter renders the settings just typed). */
  inFields?: boolean;
}

export const SHORTCUTS: Shortcut[] = [
  { command: { type: 'togglePlay' }, chords: [{ key: ' ' }], label: 'Space', help: 'help.playPause' },
  { command: { type: 'step', delta: -1 }, chords: [{ key: 'ArrowLeft', shift: false }], label: '←', help: 'help.stepFrame' },
  { command: { type: 'step', delta: 1 }, chords: [{ key: 'ArrowRight', shift: false }], label: '→', help: 'help.stepFrame' },
  { command: { type: 'step', delta: -10 }, chords: [{ key: 'ArrowLeft', shift: true }], label: 'Shift+←', help: 'help.stepTen' },
  { command: { type: 'step', delta: 10 }, chords: [{ key: 'ArrowRight', shift: true }], label: 'Shift+→', help: 'help.stepTen' },
  { command: { type: 'home' }, chords: [{ key: 'Home' }], label: 'Home', help: 'help.homeEnd' },
  { command: { type: 'end' }, chords: [{ key: 'End' }], label: 'End', help: 'help.homeEnd' },
  { command: { type: 'markIn' }, chords: [{ key: 'i' }], label: 'I', help: 'help.markIn' },
  { command: { type: 'markOut' }, chords: [{ key: 'o' }], label: 'O', help: 'help.markOut' },
  { command: { type: 'clearRange' }, chords: [{ key: 'x', alt: true }], label: 'Alt+X', help: 'help.clearRange' },
  { command: { type: 'zoom', direction: 1 }, chords: [{ key: '+' }, { key: '=' }], label: '+', help: 'help.zoom' },
  { command: { type: 'zoom', direction: -1 }, chords: [{ key: '-' }, { key: '_' }], label: '−', help: 'help.zoom' },
  { command: { type: 'open' }, chords: [{ key: 'o', ctrl: true, shift: false }], label: 'Ctrl+O', help: 'help.open' },
  { command: { type: 'openProject' }, chords: [{ key: 'o', ctrl: true, shift: true }], label: 'Ctrl+Shift+O', help: 'help.openProject' },
  { command: { type: 'save' }, chords: [{ key: 's', ctrl: true, shift: false }], label: 'Ctrl+S', help: 'help.save', inFields: true },
  { command: { type: 'saveAs' }, chords: [{ key: 's', ctrl: true, shift: true }], label: 'Ctrl+Shift+S', help: 'help.saveAs', inFields: true },
  { command: { type: 'render' }, chords: [{ key: 'Enter', ctrl: true }], label: 'Ctrl+Enter', help: 'help.render', inFields: true },
  { command: { type: 'export' }, chords: [{ key: 'e', ctrl: true }], label: 'Ctrl+E', help: 'help.export', inFields: true },
  { command: { type: 'undo' }, chords: [{ key: 'z', ctrl: true, shift: false }], label: 'Ctrl+Z', help: 'help.undo' },
  { command: { type: 'redo' }, chords: [{ key: 'z', ctrl: true, shift: true }], label: 'Ctrl+Shift+Z', help: 'help.redo' },
  { command: { type: 'redo' }, chords: [{ key: 'y', ctrl: true }], label: 'Ctrl+Y', help: 'help.redo' },
  { command: { type: 'toggleHelp' }, chords: [{ key: '?' }], label: '?', help: 'help.help' },
  { command: { type: 'escape' }, chords: [{ key: 'Escape' }], label: 'Esc', help: 'help.escape' },
];

/** The parts of a KeyboardEvent the map looks at (so tests need no DOM). */
export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

function matches(chord: KeyChord, input: KeyInput): boolean {
  // Letters compare case-insensitively: Shift or Caps Lock must not change what I and O do.
  const key = input.key.length === 1 ? input.key.toLowerCase() : input.key;
  if (key !== chord.key) return false;
  if ((input.ctrlKey || input.metaKey) !== (chord.ctrl ?? false)) return false;
  if (input.altKey !== (chord.alt ?? false)) return false;
  return chord.shift === undefined || chord.shift === input.shiftKey;
}

export function shortcutForKey(input: KeyInput): Shortcut | null {
  return SHORTCUTS.find((shortcut) => shortcut.chords.some((chord) => matches(chord, input))) ?? null;
}

export function commandForKey(input: KeyInput): Command | null {
  return shortcutForKey(input)?.command ?? null;
}

/** Help rows: shortcuts sharing a description are listed on one line ("← / →"). */
export function helpRows(): { help: StringKey; labels: string[] }[] {
  const rows: { help: StringKey; labels: string[] }[] = [];
  for (const shortcut of SHORTCUTS) {
    const row = rows.find((r) => r.help === shortcut.help);
    if (row) row.labels.push(shortcut.label);
    else rows.push({ help: shortcut.help, labels: [shortcut.label] });
  }
  return rows;
}
