import { resolve } from 'node:path';

/** Overrides a person can give the desktop app on its command line. */
export interface HostOptions {
  dataDir?: string;
  workspace?: string;
}

/**
 * Reads `--data-dir=<dir>` and `--workspace=<dir>` through Chromium's switch parser (`app.commandLine`), which
 * returns '' for an absent switch. Relative paths are resolved against the folder the app was started from.
 */
export function readHostOptions(getSwitchValue: (name: string) => string, cwd: string): HostOptions {
  const options: HostOptions = {};
  const dataDir = getSwitchValue('data-dir').trim();
  const workspace = getSwitchValue('workspace').trim();
  if (dataDir) options.dataDir = resolve(cwd, dataDir);
  if (workspace) options.workspace = resolve(cwd, workspace);
  return options;
}
