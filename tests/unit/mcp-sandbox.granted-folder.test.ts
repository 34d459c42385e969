import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { grantedFolder } from '../../src/core/sandbox/mcp-sandbox';

describe('a folder granted in "allowWrite", as the person wrote it', () => {
  it('reads ~ as the home folder, as a shell and Claude Desktop configs do (not a folder named "~" in the workspace)', () => {
    expect(grantedFolder('~/Documents/notes', '/ws')).toBe(join(homedir(), 'Documents', 'notes'));
    expect(grantedFolder('~', '/ws')).toBe(homedir());
  });

  it('keeps an absolute path, and puts any other relative one in the workspace', () => {
    expect(grantedFolder('/srv/data', '/ws')).toBe('/srv/data');
    expect(grantedFolder('notes', '/ws')).toBe('/ws/notes');
    // `~notes` (user notes' home folder to a shell) is refused where mcp.json is read (mcp-config.parse.test.ts).
    expect(grantedFolder('./~notes', '/ws')).toBe('/ws/~notes');
  });
});
