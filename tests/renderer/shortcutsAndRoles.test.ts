import { describe, expect, it } from 'vitest';
import { baseName, kindOfFile, roleForDrop } from '../../src/renderer/import/roleInference';
import { SHORTCUTS, commandForKey, helpRows, type KeyInput } from '../../src/renderer/keyboard/shortcuts';
import { STRINGS, translate } from '../../src/renderer/i18n/strings';

const key = (k: string, mods: Partial<KeyInput> = {}): KeyInput => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('keyboard map', () => {
  it('steps one frame, or ten with Shift', () => {
    expect(commandForKey(key('ArrowRight'))).toEqual({ type: 'step', delta: 1 });
    expect(commandForKey(key('ArrowLeft'))).toEqual({ type: 'step', delta: -1 });
    expect(commandForKey(key('ArrowRight', { shiftKey: true }))).toEqual({ type: 'step', delta: 10 });
    expect(commandForKey(key('ArrowLeft', { shiftKey: true }))).toEqual({ type: 'step', delta: -10 });
  });

  it('tells O (out point) from Ctrl+O / ⌘O (open), and ignores case', () => {
    expect(commandForKey(key('o'))).toEqual({ type: 'markOut' });
    expect(commandForKey(key('O', { shiftKey: true }))).toEqual({ type: 'markOut' });
    expect(commandForKey(key('o', { ctrlKey: true }))).toEqual({ type: 'open' });
    expect(commandForKey(key('o', { metaKey: true }))).toEqual({ type: 'open' });
    expect(commandForKey(key('I'))).toEqual({ type: 'markIn' });
  });

  it('maps the rest and leaves other keys (and Ctrl+arrows) alone', () => {
    expect(commandForKey(key(' '))).toEqual({ type: 'togglePlay' });
    expect(commandForKey(key('Home'))).toEqual({ type: 'home' });
    expect(commandForKey(key('End'))).toEqual({ type: 'end' });
    expect(commandForKey(key('?', { shiftKey: true }))).toEqual({ type: 'toggleHelp' });
    expect(commandForKey(key('+', { shiftKey: true }))).toEqual({ type: 'zoom', direction: 1 });
    expect(commandForKey(key('='))).toEqual({ type: 'zoom', direction: 1 });
    expect(commandForKey(key('-'))).toEqual({ type: 'zoom', direction: -1 });
    expect(commandForKey(key('x', { altKey: true }))).toEqual({ type: 'clearRange' });
    expect(commandForKey(key('x'))).toBeNull();
    expect(commandForKey(key('ArrowLeft', { ctrlKey: true }))).toBeNull();
    expect(commandForKey(key('a'))).toBeNull();
  });

  it('lists every shortcut in the help, grouped by description', () => {
    const rows = helpRows();
    expect(rows.flatMap((r) => r.labels)).toHaveLength(SHORTCUTS.length);
    expect(rows.find((r) => r.help === 'help.stepFrame')?.labels).toEqual(['←', '→']);
  });
});

describe('role inference', () => {
  it('reads the MIME type first, then the extension', () => {
    expect(kindOfFile('running.mp4', 'video/mp4')).toBe('video');
    expect(kindOfFile('clip.mkv', '')).toBe('video');
    expect(kindOfFile('monalisa.png', 'image/png')).toBe('image');
    expect(kindOfFile('DALLE2.JPEG')).toBe('image');
    expect(kindOfFile('song.m4a', '')).toBe('audio');
    expect(kindOfFile('dance.gif', 'image/gif')).toBe('video');
    expect(kindOfFile('notes.txt', 'text/plain')).toBeNull();
    expect(kindOfFile('README')).toBeNull();
  });

  it('puts a drop on the track it landed on, else where its kind belongs', () => {
    expect(roleForDrop('video', null)).toBe('motion');
    expect(roleForDrop('image', null)).toBe('reference');
    expect(roleForDrop('audio', null)).toBe('audio');
    expect(roleForDrop('video', 'audio')).toBe('audio'); // a video on the Audio track: its sound
    expect(roleForDrop(null, null)).toBeNull(); // unknown: probe first
  });

  it('takes the file name from either kind of path', () => {
    expect(baseName('/data/samples/running.mp4')).toBe('running.mp4');
    expect(baseName('C:\\Users\\me\\monalisa.png')).toBe('monalisa.png');
  });
});

describe('strings', () => {
  it('has every English key in Japanese, non-empty, with the same {slots}', () => {
    const slots = (s: string): string[] => (s.match(/\{\w+\}/g) ?? []).sort();
    for (const [k, english] of Object.entries(STRINGS.en)) {
      const japanese = STRINGS.ja[k as keyof typeof STRINGS.en];
      expect(japanese, k).toBeTruthy();
      expect(slots(japanese), k).toEqual(slots(english));
    }
  });

  it('fills slots and leaves unknown ones visible', () => {
    expect(translate('en', 'import.failed', { name: 'notes.txt' })).toBe('Could not import notes.txt');
    expect(translate('ja', 'track.frames', { count: 42 })).toBe('42 フレーム');
    expect(translate('en', 'track.frames')).toBe('{count} frames');
  });
});
