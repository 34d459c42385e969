import { describe, expect, it } from 'vitest';
import { listServerTools } from '../../src/core/mcp/server-tools';
import { clientAnswered } from '../helpers/tool-listing-client';

const server = { name: 'h', startupTimeoutMs: 30_000, redact: <T>(value: T): T => value };
const tool = (name: string, descriptionChars = 10) => ({ name, description: 'd'.repeat(descriptionChars), inputSchema: { type: 'object' } });

describe('listServerTools and definitions of megabytes', () => {
  it('leaves out a tool whose definition passes 100 KB, naming its size, where a 1 MB description was pinned, shown and sent to the model', async () => {
    const listed = await listServerTools(clientAnswered([tool('small'), tool('huge', 1_000_000), { ...tool('schema'), inputSchema: { type: 'object', description: 's'.repeat(200_000) } }]), server);
    expect(listed.tools.map((t) => t.name)).toEqual(['small']);
    expect(listed.leftOut).toEqual([
      'Its tool "huge" is left out: its definition is 1,001 KB, more than the 100 KB Portcullis takes for one tool; its maker can correct it.',
      'Its tool "schema" is left out: its definition is 201 KB, more than the 100 KB Portcullis takes for one tool; its maker can correct it.',
    ]);
  });

  it('takes its tools until their definitions pass 2 MB together, and says how many more were left out', async () => {
    const many = Array.from({ length: 30 }, (_, index) => tool(`t${index}`, 90_000));
    const listed = await listServerTools(clientAnswered([...many, tool('small')]), server);
    // 22 of 90 KB fit in 2 MB; the small one after them still does.
    expect(listed.tools.map((t) => t.name)).toEqual([...many.slice(0, 22).map((t) => t.name), 'small']);
    expect(listed.leftOut).toEqual(["8 of its tools are left out: with them, its tools' definitions would pass the 2,000 KB Portcullis takes from one server."]);
  });
});
