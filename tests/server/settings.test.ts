import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../src/shared/contract';
import { addRecentFile, JsonSettingsStore, MAX_RECENT, pushRecent } from '../../src/main/services/settings';
import { defaultDataDir } from '../../src/main/paths';
import type { Logger } from '../../src/main/services/serviceTypes';

let dir: string;
let warnings: string[];
const log: Logger = { info: () => undefined, warn: (m) => warnings.push(m), error: (m) => warnings.push(m) };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mas-settings-'));
  warnings = [];
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('JsonSettingsStore', () => {
  it('starts from the defaults and persists updates atomically', () => {
    const store = JsonSettingsStore.inDataDir(dir, log);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    store.update({ provider: 'cpu', threads: 2 });
    expect(readdirSync(dir)).toEqual(['settings.json']); // no temp files left behind
    expect(JsonSettingsStore.inDataDir(dir, log).get()).toMatchObject({ provider: 'cpu', threads: 2, language: 'en' });
  });

  it('refuses invalid updates and keeps the previous state', () => {
    const store = JsonSettingsStore.inDataDir(dir, log);
    expect(() => store.update({ threads: -5 })).toThrow(/Invalid settings/);
    expect(store.get().threads).toBe(0);
    expect(existsSync(join(dir, 'settings.json'))).toBe(false);
  });

  it.each([
    ['truncated JSON', '{"language": "en", "prov'],
    ['wrong types', '{"language": "fr", "threads": "many"}'],
    ['not an object', '[1, 2, 3]'],
  ])('backs up a corrupt file (%s), logs it, and uses the defaults', (_name, content) => {
    writeFileSync(join(dir, 'settings.json'), content);
    const store = JsonSettingsStore.inDataDir(dir, log);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    const backups = readdirSync(dir).filter((f) => f.startsWith('settings.json.corrupt-'));
    expect(backups).toHaveLength(1);
    expect(readFileSync(join(dir, backups[0]), 'utf8')).toBe(content);
    expect(warnings.join('\n')).toMatch(/settings\.json.*moved it to/);
  });

  it('fills keys missing from an older file with the defaults', () => {
    writeFileSync(join(dir, 'settings.json'), '{"language": "ja"}');
    expect(JsonSettingsStore.inDataDir(dir, log).get()).toEqual({ ...DEFAULT_SETTINGS, language: 'ja' });
    expect(warnings).toEqual([]);
  });

  it('keeps recent files most recent first, unique, at most 20', () => {
    const store = JsonSettingsStore.inDataDir(dir, log);
    for (let i = 0; i < 25; i++) addRecentFile(store, `/clips/${i}.mp4`);
    addRecentFile(store, '/clips/10.mp4');
    const recent = store.get().recentFiles;
    expect(recent).toHaveLength(MAX_RECENT);
    expect(recent.slice(0, 3)).toEqual(['/clips/10.mp4', '/clips/24.mp4', '/clips/23.mp4']);
    expect(new Set(recent).size).toBe(recent.length);
    expect(pushRecent(['a', 'b'], 'b')).toEqual(['b', 'a']);
  });
});

describe('default data dir', () => {
  it('follows each platform convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/magicanimate-studio');
    expect(defaultDataDir({ XDG_DATA_HOME: 'relative' }, 'linux', '/home/u')).toBe('/home/u/.magicanimate-studio');
    expect(defaultDataDir({}, 'darwin', '/Users/u')).toBe('/Users/u/.magicanimate-studio');
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32', 'C:\\Users\\u')).toMatch(/MagicAnimate Studio$/);
  });
});
