import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliBin } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const run = promisify(execFile);

describe('portcullis serve', () => {
  it('on a port already in use says so and what to do, without a stack trace', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const { port } = taken.address() as AddressInfo;
    try {
      const failed = await run(process.execPath, [cliBin, 'serve', '--port', String(port), '--data-dir', tempDir()]).catch((error: unknown) => error);
      expect(failed).toMatchObject({ code: 1, stderr: expect.stringContaining(`Port ${port} on 127.0.0.1 is already in use`) });
      expect((failed as { stderr: string }).stderr).not.toMatch(/\bat \w|EADDRINUSE/);
    } finally {
      taken.close();
    }
  });
});

describe('portcullis serve --approval-timeout', () => {
  it('a value it cannot use is said with the option\'s name (exit 2)', async () => {
    for (const [value, said] of [['abc', '--approval-timeout takes a duration like 90s, 2m or 1500ms, not "abc".'], ['0s', '--approval-timeout must be between 100ms and 24 hours, not "0s".']]) {
      const failed = (await run(process.execPath, [cliBin, 'serve', '--approval-timeout', value!, '--data-dir', tempDir()]).catch((error: unknown) => error)) as { code: number; stderr: string };
      expect({ code: failed.code, said: failed.stderr.split('\n')[0] }).toEqual({ code: 2, said });
    }
  }, 30_000);
});

describe('portcullis with a data folder that cannot be one', () => {
  it('a file given as --data-dir is said to be a file, without a stack trace', async () => {
    const file = join(tempDir(), 'data.txt');
    writeFileSync(file, 'not a folder');
    const failed = await run(process.execPath, [cliBin, 'serve', '--port', '0', '--data-dir', file]).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1, stderr: `Error: The data folder ${file} is not a folder: a file has that name. Give --data-dir a folder, or move the file away.\n` });
  });
});

describe('portcullis with a workspace that cannot be one', () => {
  it('a file given as --workspace is said to be a file, without a stack trace', async () => {
    const file = join(tempDir(), 'notes.txt');
    writeFileSync(file, 'not a folder');
    const failed = await run(process.execPath, [cliBin, 'chat', '--data-dir', tempDir(), '--workspace', file, 'list the files']).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 1, stderr: `Error: The workspace ${file} is not a folder: a file has that name. Give --workspace a folder, or move the file away.\n` });
  });
});
