import { mkdirSync, readFileSync, rmdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RotatingFile } from '../../src/core/logging/rotating-file';
import { tempDir } from '../helpers/temp-dir';

describe('RotatingFile where the log cannot be written', () => {
  it('a log that cannot be opened stops nothing: lines are dropped, the person told once, and it is tried again', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'portcullis.log')); // in the log's way, as a folder left by another user would be
    const problems: string[] = [];
    const file = new RotatingFile({ dir, name: 'portcullis.log' }, (problem) => problems.push(problem));
    expect(file.write('one\n')).toBe(false);
    expect(file.write('two\n')).toBe(false);
    expect(problems).toEqual([expect.stringMatching(/The log .*portcullis\.log cannot be written .*goes on without it/)]);
    rmdirSync(join(dir, 'portcullis.log'));
    expect(file.write('three\n')).toBe(true);
    file.close();
    expect(readFileSync(join(dir, 'portcullis.log'), 'utf8')).toBe('three\n');
  });

  it.runIf(process.platform === 'linux')('a full disk fails the line, not the caller', () => {
    const dir = tempDir();
    symlinkSync('/dev/full', join(dir, 'portcullis.log')); // every write: ENOSPC
    const problems: string[] = [];
    const file = new RotatingFile({ dir, name: 'portcullis.log' }, (problem) => problems.push(problem));
    expect(() => file.write('a line\n')).not.toThrow();
    expect(file.write('another\n')).toBe(false);
    expect(problems).toEqual([expect.stringContaining('ENOSPC')]);
    file.close();
  });
});
