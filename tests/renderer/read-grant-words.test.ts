import { describe, expect, it } from 'vitest';
import { readPlaces } from '../../src/renderer/features/tools/read-grant-words';

describe("what a sandboxed server may read, as its row on the Tools & servers page says it", () => {
  it('a private home folder: the places named for it with where from, runtimes apart', () => {
    const places = readPlaces({
      home: 'private',
      readable: [
        { path: '/home/me/ws', from: 'workspace' },
        { path: '/home/me/notes', from: 'write' },
        { path: '/home/me/granted', from: 'allowRead' },
        { path: '/home/me/Documents', from: 'arguments' },
        { path: '/home/me/notes/memory.jsonl', from: 'environment' },
        { path: '/home/me/.nvm', from: 'runtime' },
      ],
    });
    expect(places).toEqual({
      wholeHome: null,
      named: [
        { path: '/home/me/granted', because: 'its allowRead' },
        { path: '/home/me/Documents', because: 'named in its arguments' },
        { path: '/home/me/notes/memory.jsonl', because: 'named in its env' },
      ],
      runtimes: ['/home/me/.nvm'],
      writes: true,
    });
  });

  it('the whole home folder (but credentials) says why', () => {
    expect(readPlaces({ home: 'readHome', readable: [] }).wholeHome).toBe('its "readHome": true in mcp.json');
    expect(readPlaces({ home: 'workspace', readable: [] }).wholeHome).toBe('the workspace is your home folder or holds it');
    expect(readPlaces({ home: 'arguments', readable: [] }).wholeHome).toBe('its arguments name your home folder');
  });
});
