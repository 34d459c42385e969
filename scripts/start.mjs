// `npm start`: builds the app, then opens it in Electron. Where the Electron binary is missing (it is a
// separate download from GitHub), it says so plainly and points to the headless host instead of a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);

let electron = findElectronBinary();
let downloadFailure = '';
if (!electron && !process.env.ELECTRON_SKIP_BINARY_DOWNLOAD && existsSync(electronFile('install.js') ?? '')) {
  // Electron's package fetches its binary on first use, which is what `require('electron')` would do;
  // done here explicitly so a failure ends in the message below. Time-limited so a dead network cannot hang us.
  console.log('Electron is not downloaded yet; fetching it from GitHub (once)...');
  const download = spawnSync(process.execPath, [electronFile('install.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60_000,
  });
  electron = findElectronBinary();
  if (!electron) downloadFailure = (download.stderr || download.error?.message || '').trim().split('\n')[0] ?? '';
}
if (!electron) {
  console.error(
    '\nPortcullis could not open its desktop window because the Electron desktop binary is not installed on this ' +
      'machine. Electron downloads that binary from GitHub (on a normal desktop this happens during install or on ' +
      'the first `npm start`); this machine installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1 or could not reach GitHub. ' +
      'To get it, run `node node_modules/electron/install.js` (the same as `npx install-electron`) on a machine with ' +
      'internet access, then run `npm start` again. Meanwhile, `npm run serve` runs the same app headless and ' +
      'serves it to your browser.' +
      (downloadFailure ? ` (The download attempt said: ${downloadFailure})` : '') +
      '\n',
  );
  process.exit(1);
}

const child = spawn(electron, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', windowsHide: false });
child.on('error', (error) => {
  console.error(`Could not start Electron (${electron}): ${error.message}`);
  process.exit(1);
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

/** The binary's path as the electron package records it, without `require('electron')`, which downloads on a miss. */
function findElectronBinary() {
  const pathFile = electronFile('path.txt');
  if (!pathFile || !existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || electronFile('dist');
  const binary = relative && distDir ? join(distDir, relative) : null;
  return binary && existsSync(binary) ? binary : null;
}

/** A file inside the installed electron package, or null when the package itself is missing. */
function electronFile(name) {
  try {
    return join(dirname(require.resolve('electron/package.json')), name);
  } catch {
    return null;
  }
}
