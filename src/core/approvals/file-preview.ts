import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { ApprovalRequest } from '../../shared/domain/approval';
import { fileEditsOf } from '../../shared/file-edits';
import { isInside, resolvePathArgument } from '../policy/matchers/resolve-path';
import { decodeText, utf16Of } from '../sandbox/file-text';
import { isGuardedHardLink } from '../sandbox/guarded-hard-link';

const MAX_PREVIEW_BYTES = 256 * 1024;

/**
 * What a file write or edit will change, so the dialog can show a diff: a call with a `path` and the whole new
 * `content`, or one shaped like a file-editing tool's (`fileEditsOf`). Only files inside the workspace (after
 * symlinks) are read, at most 256 KB, and not a hard link fs.read would refuse; anything else gets no preview rather
 * than a read the policy never saw.
 */
export function fileBeforeOf(args: Record<string, unknown>, workspace: string): Pick<ApprovalRequest, 'fileBefore'> {
  const path = typeof args.path === 'string' && typeof args.content === 'string' ? args.path : fileEditsOf(args)?.path;
  if (path === undefined || path === '' || path.includes('\0')) return {};
  const resolved = resolvePathArgument(path, workspace);
  const root = resolvePathArgument('.', workspace);
  if (!isInside(resolved.real, root.real, false) || !isInside(resolved.lexical, root.lexical, false)) return {};
  let fd: number;
  try {
    // O_NONBLOCK: a named pipe at the path (a server that writes the workspace can make one) opens at once and is
    // passed over below; opened as it was, it waited for a writer, and with it this whole process (every window).
    fd = openSync(resolved.real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { fileBefore: { path, content: null, truncated: false } };
  }
  try {
    const stat = fstatSync(fd);
    // A hard link to a private or another user's file (a key linked in under an innocent name) is not read for
    // the dialog either, as fs.read does not read it: its other names are where the policy never looked.
    if (!stat.isFile() || isGuardedHardLink(stat)) return {};
    const buffer = Buffer.alloc(Math.min(stat.size, MAX_PREVIEW_BYTES));
    const bytes = buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
    // Read as fs.read reads it (UTF-16 by its byte-order mark, as Excel's "Unicode text" is saved): as UTF-8 its
    // diff was NULs between letters. A binary file has no text to compare: the dialog says what it is instead.
    const text = decodeText(bytes);
    const utf16 = utf16Of(bytes);
    const truncated = stat.size > MAX_PREVIEW_BYTES;
    if (typeof text !== 'string') return { fileBefore: { path, content: '', truncated, binary: text.known } };
    return { fileBefore: { path, content: text, truncated, ...(utf16 ? { encoding: utf16 } : {}) } };
  } catch {
    return {};
  } finally {
    closeSync(fd);
  }
}
