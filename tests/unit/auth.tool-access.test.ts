import { describe, expect, it } from 'vitest';
import { parseKeyTools } from '../../src/core/auth/key-tool-limit';
import type { Principal } from '../../src/core/auth/scopes';
import { toolRefusal } from '../../src/core/auth/tool-access';

const limited: Principal = { kind: 'api-key', id: 'key:k', scopes: ['tools'], toolLimit: { holder: 'key "Cursor"', source: 'key', patterns: ['fs.read', 'everything.*', 'git.{status,log}'] } };

describe('which tools a credential may call', () => {
  it('a limited key: the tools its globs name, and a refusal naming the key and its tools for any other', () => {
    expect(toolRefusal(limited, 'fs.read')).toBeNull();
    expect(toolRefusal(limited, 'everything.echo')).toBeNull();
    expect(toolRefusal(limited, 'git.log')).toBeNull();
    expect(toolRefusal(limited, 'fs.write')).toBe('fs.write is not among the tools key "Cursor" may call (fs.read, everything.*, git.{status,log}), so it was not run. Give the key that tool (portcullis keys update --tools, or Settings → Local API keys), or call it in Portcullis itself.');
    expect(toolRefusal(limited, 'fs.readdir')).not.toBeNull();
    // Named only as the caller called it: a name no tool has reads the same, so the key learns nothing of what exists.
    expect(toolRefusal(limited, 'fs.write', 'fs_write')).toMatch(/^fs_write is not among/);
    expect(toolRefusal(limited, 'fs.write', 'fs_write')!.replace('fs_write', 'nowhere')).toBe(toolRefusal(limited, 'nowhere'));
  });

  it('a key without a list, and the person in process, as before', () => {
    expect(toolRefusal({ kind: 'api-key', id: 'key:u', scopes: ['tools'] }, 'fs.write')).toBeNull();
    expect(toolRefusal(undefined, 'memory.search')).toBeNull();
    expect(toolRefusal({ kind: 'api-key', id: 'key:u', scopes: ['tools'] }, 'memory.search')).toMatch(/needs the "chat" scope/);
  });

  it('a !glob in the list takes tools out of the others and never names every other tool', () => {
    const excluding: Principal = { ...limited, toolLimit: { ...limited.toolLimit!, patterns: ['github.*', '!github.delete_repo'] } };
    expect(toolRefusal(excluding, 'github.get_issue')).toBeNull();
    expect(toolRefusal(excluding, 'github.delete_repo')).not.toBeNull();
    expect(toolRefusal(excluding, 'fs.delete')).not.toBeNull();
    expect(toolRefusal(excluding, 'shell.run')).not.toBeNull();
    expect(() => parseKeyTools('!fs.delete')).toThrow(/only takes tools out/);
  });

  it('reads --tools as comma-separated globs, a brace glob kept whole', () => {
    expect(parseKeyTools('fs.read, everything.*,git.{status,log}')).toEqual(['fs.read', 'everything.*', 'git.{status,log}']);
    expect(parseKeyTools(undefined)).toBeNull();
    expect(() => parseKeyTools(',')).toThrow(/at least one/);
  });
});
