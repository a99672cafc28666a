#!/usr/bin/env node
// `npm start [-- options]`: the desktop app when Electron's binary is installed, otherwise
// browser mode (the same renderer, served on 127.0.0.1 with a per-start token).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary } from './electronBinary.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const SERVER_ENTRY = ['--import', 'tsx', join(REPO, 'src/main/server/main.ts')];

/** Newest modification time of any file under `dir` (0 when it does not exist). */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

function run(command, commandArgs, what) {
  const result = spawnSync(command, commandArgs, { cwd: REPO, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${what} failed (${result.error?.message ?? `exit code ${result.status}`}).`);
    process.exit(result.status || 1);
  }
}

/** Runs a long-lived child, forwarding Ctrl-C/TERM, and exits with its code. */
function handOver(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: REPO, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startElectron(binary) {
  run(process.execPath, [join(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], 'electron-vite build');
  handOver(binary, [REPO, ...args]);
}

function startBrowserMode() {
  console.log('Electron binary not installed: starting browser mode (the same editor, in your browser).');
  const rendererOut = join(REPO, 'out', 'renderer');
  const sources = Math.max(newestMtime(join(REPO, 'src', 'renderer')), newestMtime(join(REPO, 'src', 'shared')));
  const built = existsSync(join(rendererOut, 'index.html')) ? newestMtime(rendererOut) : 0;
  if (built < sources) {
    console.log('Building the renderer (vite build --config vite.web.config.ts)…');
    run(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], 'vite build');
  }
  handOver(process.execPath, [...SERVER_ENTRY, ...args]);
}

if (args.includes('--help') || args.includes('-h')) {
  console.log('npm start: runs the desktop app when the Electron binary is installed, otherwise browser mode.\n');
  run(process.execPath, [...SERVER_ENTRY, '--help'], 'help');
  process.exit(0);
}

const binary = electronBinary(REPO);
if (binary) startElectron(binary);
else startBrowserMode();
