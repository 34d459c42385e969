import { randomBytes } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmdirSync, rmSync, type Stats, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * How a `portcullis` command in a terminal reaches the Portcullis running on its data folder: the port of its local
 * API on 127.0.0.1 (`serve`, or the desktop app with its local API on), or, while the desktop app's local API is off,
 * a Unix socket (a named pipe on Windows), so that nothing listens on the network the person did not turn on; and a
 * token made for this run. The running app writes it when it starts serving and removes it when it stops; the file
 * is the owner's alone (0600, in the data folder), so only whoever may read the whole folder (its database included)
 * holds the token. Never logged.
 *
 * Both live in a folder of their own (terminalFolder), made before any MCP server starts: a sandboxed server is denied
 * the data folder's entries as they were when it started (the workspace inside it stays readable), so a file made or
 * replaced there later (written whole, then renamed over) would be readable to it, and this one is written at every
 * start of the local API (turning it on or off in Settings) while the servers run.
 */
export type TerminalAccess = {
  /** The process that serves it: the folder's owner, while it runs. */
  pid: number;
  token: string;
} & ({ port: number; socket?: undefined } | { socket: string; port?: undefined });

/**
 * Where the desktop app with its local API off listens for commands: in the data folder's terminal folder (0700) when
 * the path fits a Unix socket's ~104-byte limit, else in a folder of its own (0700) in the temporary folder. Names
 * outside the data folder are drawn at random (terminal-access.json says which), so that another local user cannot
 * take a predictable one first and keep commands out.
 */
export function terminalSocketPath(dataDir: string, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return `\\\\.\\pipe\\portcullis-${randomBytes(16).toString('hex')}`;
  const inFolder = join(terminalFolder(dataDir), 'terminal.sock');
  return Buffer.byteLength(inFolder) < 100 ? inFolder : join(mkdtempSync(join(tmpdir(), 'portcullis-')), 'terminal.sock');
}

/**
 * The path to listen on for commands, `socket` freed of what a crashed run or a hand left there. Only the folder's
 * owner serves it, in its own 0700 folder, so a socket there is a crashed run's, and a file, a link or an empty
 * folder at that name is no one's: each is removed (a link itself, never what it points to). A folder with something
 * in it is left as it is, and a fresh name beside it is used (terminal-access.json names it), so that nothing of the
 * person's is deleted and commands still get in. `note` hears what was done, in words.
 */
export function freedTerminalSocket(socket: string, note: (words: string) => void): string {
  let found: Stats;
  try {
    found = lstatSync(socket);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return socket;
    return freshSocketBeside(socket, `${socket} could not be looked at (${codeOf(error)})`, note);
  }
  const what = found.isSocket() ? 'socket' : found.isSymbolicLink() ? 'link' : found.isDirectory() ? 'folder' : 'file';
  try {
    if (found.isDirectory()) rmdirSync(socket);
    else unlinkSync(socket);
  } catch (error) {
    return freshSocketBeside(socket, `${socket} is a ${what} that could not be removed (${codeOf(error)})`, note);
  }
  if (what !== 'socket') note(`removed the ${what} at ${socket}, where commands reach this Portcullis (nothing it pointed to was touched).`);
  return socket;
}

function freshSocketBeside(socket: string, why: string, note: (words: string) => void): string {
  const beside = join(dirname(socket), `terminal-${randomBytes(8).toString('hex')}.sock`);
  const fresh = Buffer.byteLength(beside) < 100 ? beside : join(mkdtempSync(join(tmpdir(), 'portcullis-')), 'terminal.sock');
  note(`${why}; commands reach this Portcullis on ${fresh} instead (terminal-access.json names it). Remove what is at ${socket} to have the usual name again.`);
  return fresh;
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error instanceof Error ? error.message : 'unknown error');
}

/** Removes a socket's own temporary folder once the server has closed (the data folder's terminal folder stays). */
export function removeTerminalSocketFolder(dataDir: string, socket: string): void {
  if (dirname(socket) !== terminalFolder(dataDir) && !socket.startsWith('\\\\')) rmSync(dirname(socket), { recursive: true, force: true });
}

/** The data folder's folder for the way in of commands (0700), hidden whole from every sandboxed server. */
export function terminalFolder(dataDir: string): string {
  return join(dataDir, 'terminal');
}

export function makeTerminalFolder(dataDir: string): void {
  mkdirSync(terminalFolder(dataDir), { recursive: true, mode: 0o700 });
}

export function terminalAccessFile(dataDir: string): string {
  return join(terminalFolder(dataDir), 'terminal-access.json');
}

export function newTerminalToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Written whole or not at all (a reader never sees half a token), created 0600 before any byte is in it. A folder at
 * its name (no run makes one) would keep it from being written at every start: an empty one is removed, one with
 * something in it moved aside (`note` hears where), so that a restart mends what commands are told a restart mends.
 */
export function writeTerminalAccess(dataDir: string, access: TerminalAccess, note: (words: string) => void = () => undefined): void {
  makeTerminalFolder(dataDir);
  const file = terminalAccessFile(dataDir);
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, `${JSON.stringify(access)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (lstatSync(file, { throwIfNoEntry: false })?.isDirectory()) moveFolderAside(file, note);
    renameSync(partial, file);
  } catch (error) {
    // Not left beside it: it holds the token.
    rmSync(partial, { force: true });
    throw error;
  }
}

function moveFolderAside(path: string, note: (words: string) => void): void {
  try {
    rmdirSync(path);
    note(`removed the empty folder at ${path}, where commands find the way in.`);
  } catch {
    const aside = `${path}.moved-${randomBytes(4).toString('hex')}`;
    renameSync(path, aside);
    note(`a folder was at ${path}, where commands find the way in: it was moved to ${aside}.`);
  }
}

export function readTerminalAccess(dataDir: string): TerminalAccess | null {
  const read = inspectTerminalAccess(dataDir);
  return read.kind === 'read' ? read.access : null;
}

/**
 * What the folder's terminal-access.json holds: nothing (`absent`: no Portcullis serving a way in wrote it), a way in
 * (`read`), or something no run writes (`damaged`, with why in words: it is written whole, then renamed, so only a
 * disk error or a hand edit leaves it so). A damaged file stays so until the running Portcullis writes it again.
 */
export type TerminalAccessRead = { kind: 'absent' } | { kind: 'read'; access: TerminalAccess } | { kind: 'damaged'; why: string };

export function inspectTerminalAccess(dataDir: string): TerminalAccessRead {
  let text: string;
  try {
    text = readFileSync(terminalAccessFile(dataDir), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'absent' };
    return { kind: 'damaged', why: code === 'EISDIR' ? 'it is a folder, not a file' : `it could not be read (${code ?? (error as Error).message})` };
  }
  if (text.trim() === '') return { kind: 'damaged', why: 'it is empty' };
  let parsed: { pid?: unknown; port?: unknown; socket?: unknown; token?: unknown } | null;
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    return { kind: 'damaged', why: 'it is not JSON (cut short or overwritten)' };
  }
  const { pid, port, socket, token } = parsed ?? {};
  if (!Number.isInteger(pid) || typeof token !== 'string' || token === '') return { kind: 'damaged', why: 'it lacks the pid or token a Portcullis writes' };
  if (Number.isInteger(port)) return { kind: 'read', access: { pid: pid as number, port: port as number, token } };
  if (typeof socket === 'string' && socket !== '') return { kind: 'read', access: { pid: pid as number, socket, token } };
  return { kind: 'damaged', why: 'it names no port or socket' };
}

/** Removes the file if it still holds `token` (a later run's file is not this one's to remove). */
export function removeTerminalAccess(dataDir: string, token: string): void {
  if (readTerminalAccess(dataDir)?.token !== token) return;
  try {
    unlinkSync(terminalAccessFile(dataDir));
  } catch {
    // Already gone.
  }
}
