/**
 * The Electron composition root: wires the runtime, the IPC bridge and the window. No logic lives here;
 * every decision is in a small module next to this one.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { app, dialog, Menu, Notification } from 'electron';
import { defaultDataDir } from '../core/config/data-paths';
import { adoptLoginShellPath } from '../core/mcp/login-shell-path';
import { createRuntime, type Runtime } from '../core/runtime/create-runtime';
import { WorkerPool } from '../core/sandbox/worker-pool';
import { KeyringSecretStore } from '../core/secrets/keyring-secret-store';
import { manageLocalApi } from '../server/local-api-host';
import { readHostOptions } from './host-options';
import { registerIpcBridge } from './ipc-bridge';
import { createApprovalNotifier } from './approval-notifier';
import { APP_USER_MODEL_ID } from './app-identity';
import { appMenuTemplate } from './app-menu';
import { createQuitGuard } from './quit-guard';
import { resolveRendererLocation } from './renderer-location';
import { registerAppScheme, serveRenderer } from './serve-renderer';
import { createUtilityProcessLauncher } from './utility-process-launcher';
import { createMainWindow } from './window';
import { createWindowSlot } from './window-slot';
import { startFailureText } from './start-failure-text';

const options = readHostOptions((name) => app.commandLine.getSwitchValue(name), process.cwd());
// The data folder is the command line's too (`portcullis secrets set`, `keys`, `policy` act on what the app uses):
// on Linux Electron's own default (~/.config) is not it. Chromium's profile and the single-instance lock follow
// the data folder, so two data folders are two apps.
const dataDir = options.dataDir ?? defaultDataDir();
mkdirSync(dataDir, { recursive: true, mode: 0o700 });
app.setPath('userData', dataDir);
app.enableSandbox();
// Windows shows the approval notifications only for the id on the installer's shortcut.
if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
// The window's UI comes from app://portcullis/, not file:// (app-protocol.ts); the scheme is declared before ready.
registerAppScheme();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  // Started from the Dock or a launcher, the app has only the system's short PATH: `npx` and `uvx` servers need the
  // one the person's shell sets up (at most 3 s; without it, the short one stays).
  await adoptLoginShellPath();
  const renderer = resolveRendererLocation({
    mainDir: __dirname,
    devUrl: process.env['ELECTRON_RENDERER_URL'],
    isPackaged: app.isPackaged,
  });

  let runtime: Runtime;
  try {
    runtime = createRuntime(
      { version: app.getVersion(), dataDir: app.getPath('userData'), workspace: options.workspace },
      {
        // The heap and CPU-time limits portcullis serve's workers have (CPU time on Linux); the heap limit on a thread.
        createToolRunner: (ws) => new WorkerPool(createUtilityProcessLauncher(join(__dirname, 'tool-worker.js'), { maxHeapMb: 512, cpuSeconds: 900 }), ws, { size: 2 }),
        secretStore: new KeyringSecretStore(),
        spanWriterEntry: join(__dirname, 'span-writer.js'),
      },
    );
  } catch (error) {
    dialog.showErrorBox('Portcullis could not start', startFailureText(error, app.getPath('userData')));
    app.exit(1);
    return;
  }

  serveRenderer(renderer.rendererDir);
  Menu.setApplicationMenu(Menu.buildFromTemplate(appMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged })));
  const window = createWindowSlot(() => createMainWindow(renderer));
  const bridge = registerIpcBridge(runtime, window.current, renderer);
  // A call an MCP client or a script makes while the window is in the background is said outside it.
  const notifyApproval = createApprovalNotifier({
    window: window.current,
    show: window.show,
    conversationTitle: async (id) => (await runtime.handlers['conversations.list']({})).find((c) => c.id === id)?.title,
    ...(Notification.isSupported()
      ? {
          notify: (notice: { title: string; body: string }, onClick: () => void) => {
            const shown = new Notification({ title: notice.title, body: notice.body });
            shown.on('click', onClick);
            shown.show();
          },
        }
      : {}),
  });
  const approvalNotices = runtime.onDidEmit((event) => {
    if (event.channel === 'approval.requested') void notifyApproval(event.payload).catch(() => undefined);
  });
  // Off unless the person enables it in Settings; then the same server as `portcullis serve`, API keys/JWT only.
  // Off, only a `portcullis` command on this data folder gets in (terminal-access.json), for `tools list`/`tools call`.
  const localApi = manageLocalApi(runtime);
  app.on(
    'will-quit',
    createQuitGuard({
      dispose: async () => {
        approvalNotices.dispose();
        await bridge.dispose();
        await localApi.dispose();
        await runtime.dispose();
      },
      exit: (code) => app.exit(code),
      onError: (error) => console.error('portcullis: shutting down failed', error),
    }),
  );
  app.on('second-instance', window.show);
  app.on('activate', window.show);
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  window.show();
}
