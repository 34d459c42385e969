import { statSync } from 'node:fs';

/**
 * What a server's `allowWrite` names that does not give what it reads as: a path that does not exist is skipped by
 * the sandbox when the server starts (its row still listed it under "writes"), and a file is writable in place only
 * (its folder stays read-only, so a write that replaces it whole, as many servers save, is refused). Null when each
 * entry is a folder that is there.
 */
export function unusedWriteGrantsNote(granted: readonly string[]): string | null {
  const missing: string[] = [];
  const files: string[] = [];
  for (const path of granted) {
    const found = statSync(path, { throwIfNoEntry: false });
    if (!found) missing.push(path);
    else if (!found.isDirectory()) files.push(path);
  }
  const notes: string[] = [];
  if (missing.length === 1) notes.push(`Its allowWrite names ${missing[0]}, which does not exist, so it gives nothing: the sandbox grants only what is there when the server starts. Create it (or correct the path in mcp.json), then restart the server.`);
  if (missing.length > 1) notes.push(`Its allowWrite names ${missing.join(', ')}, which do not exist, so they give nothing: the sandbox grants only what is there when the server starts. Create them (or correct the paths in mcp.json), then restart the server.`);
  for (const file of files) notes.push(`Its allowWrite names ${file}, a file, not a folder: it may change that file in place, but a write that replaces it whole (a new file renamed over it) or makes a file beside it is refused.`);
  return notes.length > 0 ? notes.join(' ') : null;
}
