// `npm run test:e2e`: builds the renderer for browser mode when needed, then runs Playwright.
// Electron is used by the fixture when its binary exists; otherwise Debian's Chromium.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { electronBinary } from './electronBinary.mjs';

function run(cmd, args) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const repo = resolve(import.meta.dirname, '..');
if (electronBinary(repo)) run('npx', ['electron-vite', 'build']);
else run('npx', ['vite', 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn']);
run('npx', ['playwright', 'test', ...process.argv.slice(2)]);
