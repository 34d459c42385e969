import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { claimDataFolder } from '../../src/core/runtime/data-folder-owner';
import { tempDir } from '../helpers/temp-dir';

describe('claimDataFolder', () => {
  it('takes over a pid file whose number the system has since given to another program (after a crash and a reboot)', () => {
    const dataDir = tempDir();
    // A live process that is not Portcullis: this test's parent.
    writeFileSync(join(dataDir, 'runtime.pid'), String(process.ppid));
    const claim = claimDataFolder(dataDir);
    expect(claim.owner).toBe(true);
    claim.release();
  });

  it('is one owner at a time, also within one process, and the folder is free again once released', () => {
    const dataDir = tempDir();
    const first = claimDataFolder(dataDir);
    const second = claimDataFolder(dataDir);
    expect([first.owner, second.owner]).toEqual([true, false]);
    expect(readdirSync(dataDir).sort()).toEqual(['runtime.lock', 'runtime.pid']); // no journal beside the lock
    second.release();
    expect(claimDataFolder(dataDir).owner).toBe(false);
    first.release();
    const third = claimDataFolder(dataDir);
    expect(third.owner).toBe(true);
    third.release();
  });

  it('is free again as soon as the owner is killed', async () => {
    const dataDir = tempDir();
    const claimant = join(process.cwd(), 'src/core/runtime/data-folder-owner.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `
      const { claimDataFolder } = await import(${JSON.stringify(claimant)});
      console.log(claimDataFolder(${JSON.stringify(dataDir)}).owner);
      setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [said] = (await once(child.stdout, 'data')) as [Buffer];
    expect(said.toString().trim()).toBe('true');
    expect(claimDataFolder(dataDir).owner).toBe(false);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const after = claimDataFolder(dataDir);
    expect(after.owner).toBe(true);
    after.release();
  });
});
