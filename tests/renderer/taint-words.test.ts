import { describe, expect, it } from 'vitest';
import { taintWords } from '../../src/renderer/features/approvals/taint-words';

const source = (description: string) => ({ description });
const server = 'output of filesystem.read_file on filesystem, a server Portcullis does not control';

describe('where the conversation read untrusted content, as the approval dialog says it', () => {
  it('names a source brought by several calls once, with how many', () => {
    expect(taintWords([source(server), source(server)])).toBe(`${server} (2 calls)`);
  });

  it('names the newest sources first and counts those past three', () => {
    const taint = ['web content from a.example', server, 'web content from b.example', 'web content from c.example', 'web content from d.example'].map(source);
    expect(taintWords(taint)).toBe('web content from d.example; web content from c.example; web content from b.example; and 2 other sources');
    expect(taintWords(taint.slice(0, 4))).toBe(`web content from c.example; web content from b.example; ${server}; and 1 other source`);
  });

  it('a single source reads as itself', () => {
    expect(taintWords([source(server)])).toBe(server);
  });
});
