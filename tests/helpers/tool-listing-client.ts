import type { Client } from '@modelcontextprotocol/sdk/client/index.js';

/**
 * A client whose server answers each tools/list page with `answer(cursor, page)`, parsed with the schema asked as the
 * SDK's request does; `asked.pages` counts the pages asked for.
 */
export function toolListingClient(answer: (cursor: string | undefined, page: number) => unknown): { client: Client; asked: { pages: number } } {
  const asked = { pages: 0 };
  const client = {
    request: async (request: { params: { cursor?: string } }, schema: { parse(value: unknown): unknown }) => schema.parse(answer(request.params.cursor, asked.pages++)),
    getServerCapabilities: () => ({ tools: {} }),
  } as unknown as Client;
  return { client, asked };
}

/** A client whose server answered tools/list with `tools`, on one page. */
export const clientAnswered = (tools: unknown): Client => toolListingClient(() => ({ tools })).client;
