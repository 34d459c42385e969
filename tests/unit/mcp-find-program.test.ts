import { chmodSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertProgramExists, assertScriptExists, ProgramNotInstalled } from '../../src/core/mcp/find-program';
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

describe('the script a runtime is given is checked before it is launched', () => {
  it("says plainly that a pasted entry's script is not on this computer (not restarted: Node's Cannot find module came back for good)", () => {
    const missing = join(tempDir(), 'build', 'index.js');
    const check = () => assertScriptExists('node', [missing, '/srv/data']);
    expect(check).toThrow(ProgramNotInstalled);
    expect(check).toThrow(`${missing}, the script "node" is to run (in its "args" in mcp.json), does not exist: correct the path, or build or install the server there; then Restart.`);
    expect(() => assertScriptExists('/usr/bin/python3.12', ['-u', join(tempDir(), 'server.py')])).toThrow(/server\.py, the script "\/usr\/bin\/python3\.12" is to run/);
  });

  it('leaves alone a script that is there, a relative one, a module, code, another program, and no script at all', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'index.js'), '');
    expect(() => assertScriptExists('node', [join(dir, 'index.js')])).not.toThrow();
    expect(() => assertScriptExists('node', ['build/index.js'])).not.toThrow();
    expect(() => assertScriptExists('python3', ['-m', 'mcp_server_time', join(dir, 'gone.py')])).not.toThrow();
    expect(() => assertScriptExists('node', ['-e', 'console.log(1)'])).not.toThrow();
    expect(() => assertScriptExists('npx', ['-y', join(dir, 'gone.js')])).not.toThrow();
    expect(() => assertScriptExists('node', ['--version'])).not.toThrow();
    expect(() => assertScriptExists('node', [join(dir, 'data-folder')])).not.toThrow();
  });
});
