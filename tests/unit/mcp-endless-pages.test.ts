import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { describe, expect, it } from 'vitest';
import { listServerPrompts } from '../../src/core/mcp/server-prompts';
import { listServerResources } from '../../src/core/mcp/server-resources';

/** A client whose server offers prompts and resources, and answers each list's page with `answer(cursor, page)`. */
function pagingClient(answer: (cursor: string | undefined, page: number) => Record<string, unknown>) {
  const asked = { pages: 0 };
  const page = async (params: { cursor?: string }) => answer(params.cursor, asked.pages++);
  const client = {
    getServerCapabilities: () => ({ prompts: {}, resources: {} }),
    listPrompts: page,
    listResources: page,
  } as unknown as Client;
  return { client, asked };
}

const same = (text: string) => text;

describe('a server whose list of prompts or resources pages without end', () => {
  it('has its prompts read for 100 pages of a list that names a new empty page each time, where it was paged for ever', async () => {
    const { client, asked } = pagingClient((_cursor, page) => ({ prompts: page === 0 ? [{ name: 'only' }] : [], nextCursor: `page-${page + 1}` }));
    const prompts = await listServerPrompts(client, 'h', {}, same);
    expect(prompts.map((prompt) => prompt.name)).toEqual(['only']);
    expect(asked.pages).toBe(100);
  });

  it('has its resources read until a page is named a second time, or named with megabytes', async () => {
    const looping = pagingClient((cursor) => ({ resources: [{ uri: `r://${cursor ?? 'first'}`, name: cursor ?? 'first' }], nextCursor: cursor === 'a' ? 'b' : 'a' }));
    expect((await listServerResources(looping.client, 'h', {}, same)).map((resource) => resource.uri)).toEqual(['r://first', 'r://a', 'r://b']);
    expect(looping.asked.pages).toBe(3);
    const huge = pagingClient(() => ({ resources: [], nextCursor: 'c'.repeat(1_000_000) }));
    await listServerResources(huge.client, 'h', {}, same);
    expect(huge.asked.pages).toBe(1);
  });
});
