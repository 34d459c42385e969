import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileBeforeOf } from '../../src/core/approvals/file-preview';
import { tempDir } from '../helpers/temp-dir';

const table = 'region\tsales\nEast\t1200\n';

describe("the approval dialog's diff reads the current file as fs.read does", () => {
  it("a UTF-16 file (Excel's \"Unicode text\") is its text, not NULs between letters, and says it is UTF-16", () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'le.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(table, 'utf16le')]));
    expect(fileBeforeOf({ path: 'le.txt', content: 'new' }, workspace)).toEqual({ fileBefore: { path: 'le.txt', content: table, truncated: false, encoding: 'utf-16le' } });
    const bigEndian = Buffer.from(table, 'utf16le').swap16();
    writeFileSync(join(workspace, 'be.txt'), Buffer.concat([Buffer.from([0xfe, 0xff]), bigEndian]));
    expect(fileBeforeOf({ path: 'be.txt', content: 'new' }, workspace)).toMatchObject({ fileBefore: { content: table, encoding: 'utf-16be' } });
  });

  it("a CSV with UTF-8's byte-order mark compares without it; plain UTF-8 names no encoding", () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'bom.csv'), `\uFEFF${table}`);
    expect(fileBeforeOf({ path: 'bom.csv', content: 'new' }, workspace)).toEqual({ fileBefore: { path: 'bom.csv', content: table, truncated: false } });
    writeFileSync(join(workspace, 'plain.csv'), table);
    expect(fileBeforeOf({ path: 'plain.csv', content: 'new' }, workspace)).toEqual({ fileBefore: { path: 'plain.csv', content: table, truncated: false } });
  });

  it('a binary file (a workbook) is said to be one, with no bytes decoded as text for a diff', () => {
    const workspace = tempDir();
    writeFileSync(join(workspace, 'sales.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0xff, 0xfe]));
    expect(fileBeforeOf({ path: 'sales.xlsx', content: 'a,b\n' }, workspace)).toEqual({
      fileBefore: { path: 'sales.xlsx', content: '', truncated: false, binary: 'a zip archive, as .xlsx, .docx, .pptx and .zip files are' },
    });
  });
});
