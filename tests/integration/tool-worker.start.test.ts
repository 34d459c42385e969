import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtToolWorker } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

/** Starts the built tool worker in a plain Node process, as a fork would, and prints what its start loaded. */
const PROBE = `
const [entry, workspace] = process.argv.slice(2);
process.argv = [process.argv[0], entry, '--workspace', workspace];
const before = new Set(Object.keys(require.cache));
const builtinsBefore = new Set(process.moduleLoadList);
require(entry);
console.log(JSON.stringify({
  files: Object.keys(require.cache).filter((file) => !before.has(file)),
  builtins: process.moduleLoadList.filter((m) => !builtinsBefore.has(m) && m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length)),
}));
`;

/** What the built tool worker's start loads: its files of code, and Node's own modules. */
function loadedAtStart(): { files: string[]; builtins: string[] } {
  const dir = tempDir();
  const workspace = join(dir, 'workspace');
  mkdirSync(workspace);
  writeFileSync(join(dir, 'probe.cjs'), PROBE);
  return JSON.parse(execFileSync(process.execPath, [join(dir, 'probe.cjs'), builtToolWorker, workspace], { encoding: 'utf8' })) as { files: string[]; builtins: string[] };
}

// A worker starts for every pool slot and after every crash: what its start loads is paid each time.
describe("a tool worker's start", () => {
  it('loads its code from one file (electron.vite.config.ts builds it whole; each chunk file cost ~0.4 ms)', () => {
    expect(loadedAtStart().files).toEqual([builtToolWorker]);
  });

  it('does not load node:worker_threads (~0.8 ms) while it runs its tools on its own thread', () => {
    const { builtins } = loadedAtStart();
    expect(builtins).toContain('fs/promises'); // it did load its tools
    expect(builtins).not.toContain('worker_threads');
  });
});
