import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openError } from '../helpers/damaged-page';
import { tempDir } from '../helpers/temp-dir';

describe('a damaged database, started on again and again', () => {
  it('is copied aside once, not once per start; a file that changed since gets a copy of its own', () => {
    const dir = tempDir();
    const file = join(dir, 'portcullis.db');
    writeFileSync(file, Buffer.alloc(64 * 1024, 0x5a)); // not an SQLite file
    const first = openError(file).message;
    const again = openError(file).message;
    const copies = () => readdirSync(dir).filter((name) => name.endsWith('.bak'));
    expect(copies()).toHaveLength(1);
    expect(again).toBe(first);
    expect(first).toContain(join(dir, copies()[0]!));
    appendFileSync(file, 'more damage');
    openError(file);
    expect(copies()).toHaveLength(2);
  });
});
