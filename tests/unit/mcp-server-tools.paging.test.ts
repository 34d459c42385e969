import { afterEach, describe, expect, it, vi } from 'vitest';
import { listServerTools } from '../../src/core/mcp/server-tools';
import { toolListingClient } from '../helpers/tool-listing-client';

const server = { name: 'h', startupTimeoutMs: 30_000, redact: <T>(value: T): T => value };
const tool = (name: string) => ({ name, inputSchema: { type: 'object' } });

afterEach(() => void vi.useRealTimers());

describe('listServerTools and a tools/list whose pages do not end', () => {
  it('stops at a page it was sent to before, keeping the tools read, where a cursor that loops was paged 10,000 times', async () => {
    const { client, asked } = toolListingClient((cursor) => ({ tools: [tool(cursor ? `t_${cursor}` : 'first')], nextCursor: cursor === 'b' ? 'a' : cursor === 'a' ? 'b' : 'a' }));
    const listed = await listServerTools(client, server);
    expect(asked.pages).toBe(3);
    expect(listed.tools.map((t) => t.name)).toEqual(['first', 't_a', 't_b']);
    expect(listed.leftOut).toEqual(['Its list of tools named the page "a" a second time, so Portcullis stopped paging it and took the tools of those 3 pages; its maker can correct it.']);
  });

  it('stops after 1,000 pages of a list that names a new next page each time, where an empty page without end kept the server starting for ever', async () => {
    const { client, asked } = toolListingClient((_cursor, page) => ({ tools: page === 0 ? [tool('only')] : [], nextCursor: `page-${page + 1}` }));
    const listed = await listServerTools(client, server);
    expect(asked.pages).toBe(1_000);
    expect(listed.tools.map((t) => t.name)).toEqual(['only']);
    expect(listed.leftOut).toEqual(['Its list of tools had not ended after 1,000 pages, so Portcullis stopped paging it and took the tools of those 1,000 pages; its maker can correct it.']);
  });

  it('stops once paging has taken longer than the startup limit, each page just inside it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    // Each page answers 10 s after it was asked for: the third ends past the 30 s limit.
    const { client, asked } = toolListingClient((_cursor, page) => {
      vi.setSystemTime(Date.now() + 10_000);
      return { tools: [tool(`t${page}`)], nextCursor: `page-${page + 1}` };
    });
    const listed = await listServerTools(client, server);
    expect(asked.pages).toBe(3);
    expect(listed.tools).toHaveLength(3);
    expect(listed.leftOut).toEqual(['Its list of tools took longer than its startup limit of 30 s to page through, so Portcullis stopped paging it and took the tools of those 3 pages; "startupTimeoutMs" in mcp.json gives it longer.']);
  });

  it('leaves out a tool listed again under a name already taken, keeping the first, where 10,000 copies of one tool counted as 10,000 tools', async () => {
    const { client } = toolListingClient((cursor) => (cursor ? { tools: [{ ...tool('echo'), description: 'the second' }] } : { tools: [tool('echo'), tool('other')], nextCursor: 'next' }));
    const listed = await listServerTools(client, server);
    expect(listed.tools.map((t) => [t.name, t.description])).toEqual([['echo', undefined], ['other', undefined]]);
    expect(listed.leftOut).toEqual(['Its tool "echo" is left out: it is listed a second time (the first tool of that name is taken); its maker can correct it.']);
  });

  it('stops at a page named with more than 4,096 characters, where each was kept and sent back (megabytes, a thousand times)', async () => {
    const { client, asked } = toolListingClient((cursor, page) => ({ tools: [tool(`t${page}`)], nextCursor: cursor === undefined ? 'short' : 'c'.repeat(1_000_000) }));
    const listed = await listServerTools(client, server);
    expect(asked.pages).toBe(2);
    expect(listed.tools).toHaveLength(2);
    expect(listed.leftOut).toEqual(['Its list of tools named its next page with 1,000,000 characters, more than the 4,096 Portcullis sends back, so Portcullis stopped paging it and took the tools of those 2 pages; its maker can correct it.']);
  });

  it('pages a list that ends as before', async () => {
    const { client, asked } = toolListingClient((cursor) => (cursor === undefined ? { tools: [tool('a')], nextCursor: '2' } : { tools: [tool('b')] }));
    await expect(listServerTools(client, server)).resolves.toEqual({ tools: [tool('a'), tool('b')], leftOut: [] });
    expect(asked.pages).toBe(2);
  });
});

describe("listServerTools and a page it was sent to again, named by a secret the server was given", () => {
  it('quotes the page with its secrets hidden and what is not printable ASCII escaped, on its row', async () => {
    const canary = 'canary-paging-0123456789';
    const hiding = { ...server, redact: <T>(value: T): T => JSON.parse(JSON.stringify(value).replaceAll(canary, '[redacted]')) as T };
    const next = `${canary}\u202E`;
    const { client } = toolListingClient((cursor) => ({ tools: [tool(cursor ? 'again' : 'first')], nextCursor: next }));
    const listed = await listServerTools(client, hiding);
    expect(listed.leftOut).toEqual(['Its list of tools named the page "[redacted]\\u202e" a second time, so Portcullis stopped paging it and took the tools of those 2 pages; its maker can correct it.']);
  });
});
