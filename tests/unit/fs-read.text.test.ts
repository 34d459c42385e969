import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFile } from '../../src/core/sandbox/fs-operations';
import { searchFiles } from '../../src/core/sandbox/fs-search';
import { workspaceScope } from '../../src/core/sandbox/workspace-scope';
import { tempDir } from '../helpers/temp-dir';

function workspaceWith(files: Record<string, Buffer | string>) {
  const workspace = join(tempDir(), 'workspace');
  mkdirSync(workspace);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(workspace, name), bytes);
  return workspaceScope(workspace);
}

describe('fs.read of what a spreadsheet program saves', () => {
  it("reads a CSV Excel saved as UTF-8 without its byte-order mark, and Excel's UTF-16 \"Unicode text\"", async () => {
    const csv = 'date,region\n2026-01-05,North\n';
    const scope = workspaceWith({
      'utf8-bom.csv': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]),
      'unicode.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]),
      'plain.csv': csv,
    });
    expect((await readFile(scope, 'utf8-bom.csv')).content).toBe(csv); // the header is "date", not "\uFEFFdate"
    expect((await readFile(scope, 'unicode.txt')).content).toBe(csv);
    expect((await readFile(scope, 'plain.csv')).content).toBe(csv);
  });

  it('refuses a workbook or any other binary file, saying what it is, rather than returning "�" for its bytes', async () => {
    const scope = workspaceWith({
      'sales.xlsx': Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]),
      'blob.bin': Buffer.from([1, 2, 3, 0, 4, 5]),
    });
    await expect(readFile(scope, 'sales.xlsx')).rejects.toMatchObject({
      code: 'TOOL_FAILED',
      message: '"sales.xlsx" is not a text file (it is a zip archive, as .xlsx, .docx, .pptx and .zip files are); fs.read reads text files only. Export it as CSV or text to read it.',
    });
    await expect(readFile(scope, 'blob.bin')).rejects.toMatchObject({ code: 'TOOL_FAILED', message: expect.stringMatching(/^"blob\.bin" is not a text file \(it holds binary data\)/) });
  });

  it('fs.search finds words in UTF-16 text as fs.read reads it, and passes over a workbook', async () => {
    const scope = workspaceWith({
      'unicode.txt': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('region\nNorthwind\n', 'utf16le')]),
      'sales.xlsx': Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('Northwind')]),
    });
    const found = await searchFiles(scope, 'northwind', '.', [{ path: 'unicode.txt', read: true }, { path: 'sales.xlsx', read: true }], 50);
    expect(found.matches).toEqual([{ path: 'unicode.txt', line: 2, text: 'Northwind' }]);
    expect(found.skipped.binary).toBe(1);
  });
});
