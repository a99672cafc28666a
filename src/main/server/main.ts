// Browser mode's entry point: `node --import tsx src/main/server/main.ts [options]`.
// Wires the services with the JSON settings store and serves them on loopback.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveDataDir } from '../paths';
import { createServices } from '../services/index';
import { JsonSettingsStore } from '../services/settings';
import { consoleLogger } from '../services/serviceTypes';
import { ArgsError, parseServerArgs, USAGE, type ServerArgs } from './args';
import { portToTry, readServerIdentity, saveServerIdentity } from './serverIdentity';
import { startStudioServer } from './server';

const REPO = resolve(dirname(import.meta.dirname), '..', '..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(resolve(REPO, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Best effort: a headless machine has no browser to open, and that is fine. */
function openBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // ignored: the URL is printed anyway
  }
}

async function run(args: ServerArgs): Promise<void> {
  const dataDir = resolveDataDir(args.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const log = consoleLogger;
  const services = await createServices({
    mode: 'browser',
    version: packageVersion(),
    dataDir,
    settings: JsonSettingsStore.inDataDir(dataDir, log),
    log,
  });
  const remembered = readServerIdentity(dataDir);
  const { port, fallback } = portToTry(args.port, remembered);
  const server = await startStudioServer({
    services,
    rendererDir: resolve(REPO, 'out', 'renderer'),
    host: args.host,
    port,
    fallbackToFreePort: fallback,
    token: remembered.token,
    allowRemote: args.allowRemote,
    log,
  });
  if (fallback && port !== 0 && server.port !== port) {
    console.warn(`Port ${port} (used last time) is busy; listening on ${server.port}, which the next start will try first.`);
  }
  saveServerIdentity(dataDir, { port: args.port === 0 ? remembered.port : server.port, token: server.token });
  if (args.allowRemote && server.host !== '127.0.0.1') {
    console.warn(`WARNING: listening on ${server.host}: anyone who can reach this address and learns the token can use the studio and read its files.`);
  }
  console.log(`MagicAnimate Studio (browser mode): ${server.url}`);
  console.log(`Data folder: ${dataDir}`);
  for (const failed of services.failed) console.warn(`The ${failed.name} service is unavailable: ${failed.reason}`);
  if (args.open) openBrowser(server.url);

  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    void Promise.allSettled([server.close(), services.dispose()]).then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

let parsed: ServerArgs;
try {
  parsed = parseServerArgs(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof ArgsError)) throw err;
  console.error(err.message);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(USAGE);
} else {
  run(parsed).catch((err: unknown) => {
    console.error(`Browser mode could not start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
