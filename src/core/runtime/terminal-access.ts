import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How a `portcullis` command in a terminal reaches the Portcullis running on its data folder (`serve`, or the desktop
 * app with its local API on): the port its local API listens on, on 127.0.0.1, and a token made for this run. The
 * running app writes it when its API starts and removes it when it stops; the file is the owner's alone (0600, in
 * the data folder), so only whoever may read the whole folder (its database included) holds the token. Never logged.
 */
export interface TerminalAccess {
  /** The process that serves it: the folder's owner, while it runs. */
  pid: number;
  port: number;
  token: string;
}

export function terminalAccessFile(dataDir: string): string {
  return join(dataDir, 'terminal-access.json');
}

export function newTerminalToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Written whole or not at all (a reader never sees half a token), created 0600 before any byte is in it. */
export function writeTerminalAccess(dataDir: string, access: TerminalAccess): void {
  const file = terminalAccessFile(dataDir);
  const partial = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(partial, `${JSON.stringify(access)}\n`, { mode: 0o600, flag: 'wx' });
  renameSync(partial, file);
}

export function readTerminalAccess(dataDir: string): TerminalAccess | null {
  try {
    const parsed = JSON.parse(readFileSync(terminalAccessFile(dataDir), 'utf8')) as Partial<TerminalAccess>;
    const { pid, port, token } = parsed;
    if (!Number.isInteger(pid) || !Number.isInteger(port) || typeof token !== 'string' || token === '') return null;
    return { pid: pid!, port: port!, token };
  } catch {
    return null;
  }
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
