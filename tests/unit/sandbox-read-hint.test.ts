import { describe, expect, it } from 'vitest';
import { sandboxReadHint } from '../../src/core/mcp/sandbox-read-hint';
import type { SandboxGrants } from '../../src/shared/domain/tool-catalog';

const grants = (more: Partial<SandboxGrants> = {}): SandboxGrants => ({
  home: 'private', readable: [{ path: '/home/me/ws', from: 'workspace' }, { path: '/home/me/.nvm', from: 'runtime' }], workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable: [], packageCache: null, domains: [], offline: true, memoryMb: null, cpuSeconds: null, maxProcesses: null, ...more,
});
const ENOENT = "ENOENT: no such file or directory, open '/home/me/Downloads/x.csv'";

describe('a file of the home folder a sandboxed server cannot see, asked for by name', () => {
  it('is said to be hidden by its sandbox, with how to grant it, not whether it is there', () => {
    expect(sandboxReadHint('files', ENOENT, grants(), ['/home/me/Downloads/x.csv'], '/home/me')).toBe(
      'Portcullis\' sandbox hides your home folder from files but for what it was let read, so it cannot see /home/me/Downloads/x.csv. To let it read a folder there, add the folder to "sandbox": { "allowRead": [...] } of files in mcp.json, or "readHome": true for all of your home folder but credentials.',
    );
  });

  it('says nothing for a path it may read, outside the home folder, another error, a readable home or no sandbox', () => {
    expect(sandboxReadHint('files', ENOENT, grants(), ['/home/me/ws/x.csv'], '/home/me')).toBeNull();
    expect(sandboxReadHint('files', ENOENT, grants(), ['/srv/x.csv'], '/home/me')).toBeNull();
    expect(sandboxReadHint('files', 'EACCES: permission denied', grants(), ['/home/me/Downloads/x.csv'], '/home/me')).toBeNull();
    expect(sandboxReadHint('files', ENOENT, grants({ home: 'readHome' }), ['/home/me/Downloads/x.csv'], '/home/me')).toBeNull();
    expect(sandboxReadHint('files', ENOENT, null, ['/home/me/Downloads/x.csv'], '/home/me')).toBeNull();
  });
});
