import { describe, expect, it } from 'vitest';
import { cardArgumentsLine } from '../../src/renderer/features/chat/card-arguments';

describe('a tool card\'s arguments line', () => {
  it('a memory.forget that ran names the memory by what it said, not by its id', () => {
    expect(cardArgumentsLine({ toolName: 'memory.forget', arguments: { id: 'mem_0a1b' }, result: { forgotten: { id: 'mem_0a1b', content: 'I like\n tea' } } })).toBe('memory: I like tea');
  });

  it('a forget that did not run (yet) has only its id to say; other tools keep their key arguments', () => {
    expect(cardArgumentsLine({ toolName: 'memory.forget', arguments: { id: 'mem_0a1b' }, result: undefined })).toBe('id: mem_0a1b');
    expect(cardArgumentsLine({ toolName: 'memory.forget', arguments: { id: 'mem_0a1b' }, result: { forgotten: null } })).toBe('id: mem_0a1b');
    expect(cardArgumentsLine({ toolName: 'other.forget', arguments: { id: 'x' }, result: { forgotten: { content: 'y' } } })).toBe('id: x');
    expect(cardArgumentsLine({ toolName: 'fs.read', arguments: { path: 'notes/a.md' }, result: 'text' })).toBe('path: notes/a.md');
  });
});
