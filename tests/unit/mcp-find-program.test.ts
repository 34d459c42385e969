import { chmodSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertProgramExists } from '../../src/core/mcp/find-program';
import { tempDir } from '../helpers/temp-dir';

describe("a server's command is checked before it is launched", () => {
  it('finds a program on the PATH, or by its path', () => {
    expect(() => assertProgramExists(basename(process.execPath), dirname(process.execPath))).not.toThrow();
    expect(() => assertProgramExists(process.execPath, '')).not.toThrow();
  });

  it('says plainly that a program is missing, with how to get it', () => {
    const path = tempDir();
    // What to do first; the PATH searched (often long) last.
    expect(() => assertProgramExists('uvx', path)).toThrow(
      `"uvx" is not installed: no program of that name is on the PATH. Install it, or give "command" as a full path in mcp.json; then Restart. uvx comes with uv (https://docs.astral.sh/uv/). The PATH searched: ${path}.`,
    );
  });

  it('refuses a file that is not executable, and a folder', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'server.sh'), 'echo hi');
    chmodSync(join(dir, 'server.sh'), 0o644);
    expect(() => assertProgramExists('./server.sh', '', dir)).toThrow(`${join(dir, 'server.sh')} is not an executable file`);
    expect(() => assertProgramExists(dir, '')).toThrow(/is not an executable file/);
  });
});
