import { describe, expect, it } from 'vitest';
import { hiddenFolderWriteHint } from '../../src/core/mcp/hidden-write-hint';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';

const grants = (home: SandboxGrants['home'], readable: string[] = []): SandboxGrants => ({
  home, readable: readable.map((path) => ({ path, from: 'allowRead' as const })), workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable: [], packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null,
});
const environment = [{ variable: 'MEMORY_FILE_PATH', path: '/home/me/notes/memory.jsonl' }];

describe("a write to its env's data file in a folder of the home its sandbox hides", () => {
  it('names the variable and the folder to grant, for Node\'s and Python\'s "no such file" at the file or its temporary twin', () => {
    for (const error of ["ENOENT: no such file or directory, open '/home/me/notes/memory.jsonl.3f2a.tmp'", "[Errno 2] No such file or directory: '/home/me/notes/memory.jsonl'"]) {
      expect(hiddenFolderWriteHint('memory', error, grants('private'), environment, ['/home/me/notes'])).toBe(
        'Portcullis\' sandbox kept this write from happening: memory may write nothing of yours. It tried to write /home/me/notes/memory.jsonl, which its env\'s MEMORY_FILE_PATH names, in a folder of your home folder its sandbox hides from it. "Allow memory to write /home/me/notes" on the Tools & servers page lets it, or add the folder to "sandbox": { "allowWrite": [...] } of memory in mcp.json.',
      );
    }
  });

  it('says nothing of a file it may read (only not there), another path, a home not private, or no sandbox', () => {
    const error = "ENOENT: no such file or directory, open '/home/me/notes/memory.jsonl'";
    expect(hiddenFolderWriteHint('memory', error, grants('private', ['/home/me/notes']), environment, [])).toBeNull();
    expect(hiddenFolderWriteHint('memory', "ENOENT: no such file or directory, open '/home/me/other.txt'", grants('private'), environment, [])).toBeNull();
    expect(hiddenFolderWriteHint('memory', error, grants('readHome'), environment, [])).toBeNull();
    expect(hiddenFolderWriteHint('memory', error, null, environment, [])).toBeNull();
  });
});
