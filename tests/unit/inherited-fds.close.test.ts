import { closeSync, fstatSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closeHandedOnFds, handedOnFds } from '../../src/core/sandbox/inherited-fds';
import { tempDir } from '../helpers/temp-dir';

/** Closes `fd` if the test left it open. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // closed by the code under test
  }
}

describe("a worker's closing of the fds its parent handed on", () => {
  it('closes an fd only while it is the file its parent named, never one of its own under that number', () => {
    const fd = openSync(join(tempDir(), 'own.txt'), 'w');
    try {
      const { dev, ino } = fstatSync(fd, { bigint: true });
      closeHandedOnFds([`${fd}:${dev}:${ino + 1n}`, `${fd}:${dev + 1n}:${ino}`, `${fd}`, 'x:1:2']);
      expect(() => fstatSync(fd)).not.toThrow();
      closeHandedOnFds([`${fd}:${dev}:${ino}`]);
      expect(() => fstatSync(fd)).toThrow(/EBADF/);
    } finally {
      closeQuietly(fd);
    }
  });

  it.runIf(process.platform === 'linux')('names none of the fds Node opens itself (close-on-exec)', () => {
    const fd = openSync(join(tempDir(), 'own.txt'), 'w');
    try {
      expect(handedOnFds(2).map((entry) => Number(entry.split(':')[0]))).not.toContain(fd);
    } finally {
      closeSync(fd);
    }
  });
});
