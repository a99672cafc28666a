// The Electron shell: one window, the studio:// protocol, ipcMain → dispatcher, events → the
// window. Everything else lives in the Electron-free services (shared with browser mode).
import { app, BrowserWindow, ipcMain, shell, utilityProcess, type IpcMainInvokeEvent } from 'electron';
import { join, resolve } from 'node:path';
import { CHANNELS } from '../shared/contract';
import { fail } from '../shared/result';
import { dialogHandlers } from './electron/dialogs';
import { hardenSessions } from './electron/hardening';
import { installAppMenu } from './electron/menu';
import { guardUnsavedClose } from './electron/unloadGuard';
import { APP_ORIGIN, handleStudioProtocol, registerSchemePrivileges } from './electron/protocol';
import { electronTrash } from './files/trash';
import { createServices, type Services } from './services/index';
import { createElectronSettingsStore, type SettingsStore } from './services/settings';
import { utilityCompileSpawner } from './worker/compileHost';
import { utilityProcessSpawner } from './worker/host';

/** Must match EVENT_CHANNEL in src/preload/index.ts. */
const EVENT_CHANNEL = 'studio:event';
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
let mainWindow: BrowserWindow | null = null;

/** `--data-dir DIR` / `--data-dir=DIR` (used by the e2e fixture) replaces userData. */
function dataDirArgument(argv: readonly string[]): string | undefined {
  const i = argv.findIndex((a) => a === '--data-dir' || a.startsWith('--data-dir='));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const url = event.senderFrame?.url ?? '';
  return url.startsWith(`${APP_ORIGIN}/`) || (!!devServerUrl && url.startsWith(devServerUrl));
}

function wireIpc(services: Services): void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      isTrustedSender(event) ? services.dispatcher.dispatch(channel, payload) : fail('unauthorized', 'Requests are only accepted from the studio window.'),
    );
  }
  services.events.subscribe((event) => {
    if (mainWindow && !mainWindow.isDestroyed()) mainWindow.webContents.send(EVENT_CHANNEL, event);
  });
}

function createWindow(settings: SettingsStore): BrowserWindow {
  const window = new BrowserWindow({
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    backgroundColor: '#16171a',
    title: 'MagicAnimate Studio',
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
      // Middle-click (auxclick) on a link must not open a window even if a handler slips through.
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => (mainWindow = null));
  guardUnsavedClose(window, () => settings.get().language);
  void window.loadURL(devServerUrl ?? `${APP_ORIGIN}/index.html`);
  return window;
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const settings = await createElectronSettingsStore(dataDir);
  const services = await createServices({
    mode: 'electron',
    version: app.getVersion(),
    dataDir,
    settings,
    shellHandlers: dialogHandlers(() => mainWindow),
    shell: {
      revealItem: (file) => shell.showItemInFolder(file),
      // A replaced export goes to the desktop's trash (files/trash.ts for the other shells).
      trash: electronTrash((file) => shell.trashItem(file)),
      // Render and compile children run as utility processes from the bundled entries
      // (electron.vite.config.ts builds worker.js and compileWorker.js beside this file).
      workerSpawner: utilityProcessSpawner(utilityProcess, join(import.meta.dirname, 'worker.js')),
      compileSpawner: utilityCompileSpawner(utilityProcess, join(import.meta.dirname, 'compileWorker.js')),
    },
  });
  hardenSessions(devServerUrl);
  handleStudioProtocol(services, join(import.meta.dirname, '../renderer'));
  wireIpc(services);
  installAppMenu(!app.isPackaged);
  mainWindow = createWindow(settings);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow(settings);
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('will-quit', () => void services.dispose());
}

const explicitDataDir = dataDirArgument(process.argv);
if (explicitDataDir) app.setPath('userData', resolve(explicitDataDir));
registerSchemePrivileges();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  start().catch((err: unknown) => {
    console.error('MagicAnimate Studio could not start:', err);
    app.exit(1);
  });
}
