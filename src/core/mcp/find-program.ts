import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * Checks that a server's command is there before anything is launched: missing, it would otherwise surface as
 * "spawn uvx ENOENT", or under the sandbox only as "it exited" with the launcher's complaint in its output.
 */
export function assertProgramExists(command: string, path: string | undefined, cwd?: string): void {
  if (process.platform === 'win32') return; // PATHEXT and friends: left to the launch itself
  const candidates = command.includes('/') ? [isAbsolute(command) ? command : resolve(cwd ?? process.cwd(), command)] : (path ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, command));
  if (candidates.some(isExecutableFile)) return;
  const hint = command.includes('/') ? `${candidates[0]} is not an executable file` : 'no program of that name is on the PATH';
  const install = INSTALL_HINTS[command] ? ` ${INSTALL_HINTS[command]}` : '';
  // The PATH searched last: what to do comes first, and the folders (often long) only say where it was looked for
  // (an app started from a desktop's menu may have a shorter PATH than a terminal).
  const searched = command.includes('/') ? '' : ` The PATH searched: ${path || '(empty)'}.`;
  throw new ProgramNotInstalled(`"${command}" is not installed: ${hint}. Install it, or give "command" as a full path in mcp.json; then Restart.${install}${searched}`);
}

/** Runtimes a pasted entry gives a script to by its path (`"command": "node", "args": ["/…/build/index.js"]`). */
const SCRIPT_RUNTIMES = new Set(['node', 'nodejs', 'bun', 'python', 'python3']);
const SCRIPT_FILE = /\.(?:[cm]?js|ts|py)$/i;

/**
 * Checks that the script a runtime is to run is there: a Claude Desktop entry copied from another computer names a
 * server built at a path this one lacks, and Node's "Cannot find module" came back at every restart for good. Only
 * the runtime's first argument that is not an option, when it is an absolute path to a script file (a relative one
 * is the server's own business, from its cwd); `-m module` and `-e code` name no file.
 */
export function assertScriptExists(command: string, args: readonly string[]): void {
  const runtime = command.split(/[\\/]/).pop() ?? command;
  if (!SCRIPT_RUNTIMES.has(runtime.replace(/\.exe$/i, '').replace(/^(python3?)\.\d+$/, '$1'))) return;
  const first = args.find((arg) => !arg.startsWith('-'));
  if (first === undefined || args.slice(0, args.indexOf(first)).some((arg) => ['-m', '-c', '-e', '--eval', '-p', '--print'].includes(arg))) return;
  if (!isAbsolute(first) || !SCRIPT_FILE.test(first) || existsSync(first)) return;
  throw new ProgramNotInstalled(`${first}, the script "${command}" is to run (in its "args" in mcp.json), does not exist: correct the path, or build or install the server there; then Restart.`);
}

/**
 * A server's command is not there. Starting it again finds it no more (a misspelled "mcp-server-sqlte" was restarted
 * every 30 s for good), so it is not restarted on its own (mcp-connection.ts): an edit of mcp.json or Restart tries again.
 */
export class ProgramNotInstalled extends AppError {
  constructor(message: string) {
    super('MCP_SERVER_UNAVAILABLE', message);
  }
}

const INSTALL_HINTS: Record<string, string> = {
  uvx: 'uvx comes with uv (https://docs.astral.sh/uv/).',
  uv: 'See https://docs.astral.sh/uv/.',
  npx: 'npx comes with Node.js (https://nodejs.org).',
  node: 'See https://nodejs.org.',
  docker: 'See https://docs.docker.com/get-docker/.',
};

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
