import { constants, lstatSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { mkdir, open, readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, normalize } from 'node:path';
import { counted } from '../../shared/counted';
import { AppError } from '../../shared/errors';
import { guardedHardLinkReason, isGuardedHardLink } from './guarded-hard-link';
import { inCheckedFolder } from './checked-folder';
import { confirmOpened } from './opened-file';
import { replaceWhole } from './replace-whole';
import { resolveInWorkspace, workspaceRoot } from './workspace-path';
import type { WorkspaceScope } from './workspace-scope';
import { fileText } from './file-text';

/** The built-in file tools' code. It runs inside the tool worker, never in the runtime's own process. */

/** The largest file a built-in tool reads (fs.read, and fs.search's look inside a file). */
export const MAX_READ_BYTES = 1_000_000;
const MAX_LIST_ENTRIES = 1_000;

export interface ListedEntry {
  name: string;
  type: 'file' | 'directory' | 'symlink' | 'other';
  size: number | null;
}

function explainFsError(error: unknown, shownPath: string): never {
  if (error instanceof AppError) throw error;
  const code = (error as NodeJS.ErrnoException).code;
  const messages: Record<string, string> = {
    ENOENT: `There is no file or folder "${shownPath}" in the workspace.`,
    ENOTDIR: `"${shownPath}" is not a folder.`,
    EISDIR: `"${shownPath}" is a folder, not a file.`,
    EACCES: `Permission denied for "${shownPath}".`,
    ELOOP: `"${shownPath}" is a link; tools do not write through links.`,
    ERR_ACCESS_DENIED: `The sandbox refused access to "${shownPath}".`,
    ENOSPC: `The disk is full, so "${shownPath}" was not written; a file that was there is as it was. Free some space, then try again.`,
    EDQUOT: `The disk quota is used up, so "${shownPath}" was not written; a file that was there is as it was.`,
  };
  throw new AppError('TOOL_FAILED', messages[code ?? ''] ?? `Could not access "${shownPath}": ${(error as Error).message}`);
}

export async function listFiles(workspace: WorkspaceScope, path: string): Promise<{ path: string; entries: ListedEntry[]; truncated: boolean }> {
  const target = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  try {
    const dirents = await readdir(target, { withFileTypes: true });
    dirents.sort((a, b) => a.name.localeCompare(b.name));
    const entries: ListedEntry[] = [];
    for (const dirent of dirents.slice(0, MAX_LIST_ENTRIES)) {
      const type = dirent.isFile() ? 'file' : dirent.isDirectory() ? 'directory' : dirent.isSymbolicLink() ? 'symlink' : 'other';
      const size = type === 'file' ? (await stat(join(target, dirent.name))).size : null;
      entries.push({ name: dirent.name, type, size });
    }
    return { path, entries, truncated: dirents.length > MAX_LIST_ENTRIES };
  } catch (error) {
    explainFsError(error, path);
  }
}

/** A named pipe, a socket or a device has no end to read to: reading one would wait or run on for ever. */
const notAFile = (path: string): AppError =>
  new AppError('TOOL_FAILED', `"${path}" is not a regular file (a named pipe, a socket or a device); fs.read reads files only.`);

export async function readFile(workspace: WorkspaceScope, path: string): Promise<{ path: string; content: string; bytes: number }> {
  const target = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  try {
    const info = await stat(target);
    if (info.isDirectory()) throw new AppError('TOOL_FAILED', `"${path}" is a folder; use fs.list to see what it holds.`);
    if (!info.isFile()) throw notAFile(path);
    if (info.size > MAX_READ_BYTES) {
      throw new AppError('TOOL_FAILED', `"${path}" is ${info.size} bytes; fs.read reads files up to ${MAX_READ_BYTES} bytes.`);
    }
    // O_NONBLOCK: a named pipe put in the file's place after the check opens at once (and is refused below) instead
    // of holding the worker in open() until something writes to it; on a regular file it changes nothing.
    const handle = await open(target, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      await confirmOpened(handle, target, path);
      const opened = await handle.stat();
      if (!opened.isFile()) throw notAFile(path);
      if (isGuardedHardLink(opened)) throw new AppError('TOOL_FAILED', guardedHardLinkReason(path, opened, 'fs.read'));
      const content = fileText(await handle.readFile(), path);
      return { path, content, bytes: info.size };
    } finally {
      await handle.close();
    }
  } catch (error) {
    explainFsError(error, path);
  }
}

export async function writeFile(
  workspace: WorkspaceScope,
  path: string,
  content: string,
): Promise<{ path: string; bytesWritten: number; created: boolean }> {
  const target = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  try {
    await mkdir(dirname(target), { recursive: true });
    // O_NOFOLLOW: a link planted at the last moment is not followed; the permission model is the second wall.
    const created = !(await exists(target));
    const handle = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_NOFOLLOW, 0o644);
    let mode: number;
    try {
      // Checked on the opened file, before anything in it changes: a hard link's other names may be outside the
      // workspace (a pnpm store, a backup tree, a file linked in by hand), and the permission model sees only this one.
      await confirmOpened(handle, target, path);
      const opened = await handle.stat();
      if (!opened.isFile()) throw new AppError('TOOL_FAILED', `"${path}" is not a regular file; fs.write writes only files.`);
      if (opened.nlink > 1) {
        throw new AppError('TOOL_FAILED', `"${path}" is a hard link (the same file has ${opened.nlink} names on disk, perhaps outside the workspace); writing it would change it everywhere, so fs.write does not. Delete it first to write a file of its own there.`);
      }
      mode = opened.mode;
    } finally {
      await handle.close();
    }
    // The new contents go in whole or not at all (`replace-whole.ts`).
    try {
      return { path, bytesWritten: await replaceWhole(target, mode, content, path), created };
    } catch (error) {
      if (created) await unlink(target).catch(() => undefined); // the empty file made to check it: nothing was there
      throw error;
    }
  } catch (error) {
    explainFsError(error, path);
  }
}

/** Deletes a file, a link (not what it points to) or an empty folder; never the workspace itself, never a folder's contents. */
export async function deletePath(workspace: WorkspaceScope, path: string): Promise<{ path: string; deleted: 'file' | 'link' | 'folder'; bytes: number | null }> {
  // Both the path and where it leads must be inside the workspace (and not off limits), as for any other tool.
  const target = await resolveInWorkspace(workspace.root, path, workspace.offLimits);
  const root = await workspaceRoot(workspace.root);
  if (target === root) {
    throw new AppError('TOOL_FAILED', `"${path}" is the workspace folder itself; fs.delete deletes one file or empty folder inside it.`);
  }
  // The entry named by the path, not where a link leads: deleting a link leaves its target alone. It is found from
  // inside its folder as checked (`inCheckedFolder`): unlink has no handle to prove the file by, as a write has.
  const normal = normalize(path);
  const folder = await resolveInWorkspace(workspace.root, dirname(normal), workspace.offLimits);
  const name = basename(normal);
  try {
    return inCheckedFolder(folder, root, path, (at) => {
      const entry = at(name);
      const info = lstatSync(entry);
      if (info.isDirectory()) {
        const held = readdirSync(entry);
        if (held.length > 0) {
          throw new AppError('TOOL_FAILED', `"${path}" is a folder holding ${counted(held.length, 'item')}; fs.delete deletes only empty folders, so delete what it holds first.`);
        }
        rmdirSync(entry);
        return { path, deleted: 'folder' as const, bytes: null };
      }
      unlinkSync(entry);
      return { path, deleted: info.isSymbolicLink() ? ('link' as const) : ('file' as const), bytes: info.isFile() ? info.size : null };
    });
  } catch (error) {
    explainFsError(error, path);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
