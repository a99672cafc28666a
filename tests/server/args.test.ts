import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ArgsError, parseServerArgs } from '../../src/main/server/args';
import { startStudioServer } from '../../src/main/server/server';
import { createServices } from '../../src/main/services/index';
import { JsonSettingsStore } from '../../src/main/services/settings';
import { quietLog } from './helpers';

it('parses the browser-mode options', () => {
  expect(parseServerArgs([])).toEqual({ port: null, host: '127.0.0.1', allowRemote: false, open: true, help: false });
  expect(parseServerArgs(['--port', '5717', '--no-open', '--data-dir=/tmp/d', '--host', '0.0.0.0', '--allow-remote'])).toEqual({
    port: 5717,
    host: '0.0.0.0',
    allowRemote: true,
    open: false,
    dataDir: '/tmp/d',
    help: false,
  });
  expect(parseServerArgs(['--help']).help).toBe(true);
  expect(() => parseServerArgs(['--port', 'abc'])).toThrow(ArgsError);
  expect(() => parseServerArgs(['--port', '70000'])).toThrow(/0 to 65535/);
  expect(() => parseServerArgs(['--data-dir'])).toThrow(/needs a value/);
  expect(() => parseServerArgs(['--frobnicate'])).toThrow(/Unknown option/);
});

it('refuses a non-loopback address without --allow-remote', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mas-args-'));
  const services = await createServices({ mode: 'browser', version: 't', dataDir: dir, settings: JsonSettingsStore.inDataDir(dir, quietLog), log: quietLog, loaders: [] });
  await expect(startStudioServer({ services, rendererDir: dir, host: '0.0.0.0', port: 0 })).rejects.toThrow(/--allow-remote/);
  rmSync(dir, { recursive: true, force: true });
});
