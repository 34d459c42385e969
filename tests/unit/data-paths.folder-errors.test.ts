import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareDataFolder, withWorkspace } from '../../src/core/config/data-paths';
import { tempDir } from '../helpers/temp-dir';

describe('a data folder or workspace that cannot be made', () => {
  it('is said as what it is and which option picks another: a file in the way, or any other reason', () => {
    const file = join(tempDir(), 'taken');
    writeFileSync(file, '');
    const tooLong = join(tempDir(), 'x'.repeat(300));
    expect(() => prepareDataFolder(file)).toThrow(`The data folder ${file} is not a folder: a file has that name. Give --data-dir a folder, or move the file away.`);
    expect(() => prepareDataFolder(tooLong)).toThrow(new RegExp(`^The data folder ${tooLong} could not be created \\(ENAMETOOLONG.*\\)\\. Give --data-dir a folder you can write to\\.$`));

    const folder = prepareDataFolder(join(tempDir(), 'data'));
    expect(() => withWorkspace(folder, file)).toThrow(`The workspace ${file} is not a folder: a file has that name. Give --workspace a folder, or move the file away.`);
    expect(() => withWorkspace(folder, tooLong)).toThrow(new RegExp(`^The workspace folder ${tooLong} could not be created \\(ENAMETOOLONG.*\\)\\. Give --workspace a folder you can write to\\.$`));
  });
});
