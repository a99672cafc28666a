// Starting browser mode and Debian's Chromium, shared by the e2e fixture and the benchmarks.
import { chromium, type Browser } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '..');

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// NOTE: as root Chromium needs --no-sandbox; the background-networking flags keep it quiet on a
// closed network.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
];

export interface BrowserServer {
  url: string;
  dataDir: string;
  child: ChildProcess;
}

/** `portArgs`: `--port 0` (a fresh free port) unless a spec wants the remembered one (`[]`). */
export async function startBrowserMode(dataDir: string, portArgs: string[] = ['--port', '0']): Promise<BrowserServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/server/main.ts', ...portArgs, '--no-open', '--data-dir', dataDir], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env },
  });
  let log = '';
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`browser-mode server did not start:\n${log}`)), 60_000);
    const onData = (chunk: Buffer): void => {
      log += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolveUrl(match[1]);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`browser-mode server exited (${code}):\n${log}`)));
  });
  return { url, dataDir, child };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}
