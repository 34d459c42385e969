import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { listServerTools, ToolListNotMcp } from '../../src/core/mcp/server-tools';

const server = { name: 'h', startupTimeoutMs: 30_000, redact: <T>(value: T): T => value };

/** A client whose server answers tools/list with "Method not found", and says it has `capabilities`. */
function refusingClient(capabilities: Record<string, unknown>): Client {
  return {
    request: async () => {
      throw new McpError(ErrorCode.MethodNotFound, 'Method not found');
    },
    getServerCapabilities: () => capabilities,
  } as unknown as Client;
}

describe('listServerTools and a server that does not answer tools/list', () => {
  it('lists no tools of a server that says it has none (prompts only), where its refusal failed its start and it was restarted for ever', async () => {
    await expect(listServerTools(refusingClient({ prompts: {} }), server)).resolves.toEqual({ tools: [], leftOut: [] });
  });

  it('gives a server that says it has none but resources the two tools that read them', async () => {
    const listed = await listServerTools(refusingClient({ resources: {} }), server);
    expect(listed.tools.map((tool) => tool.name)).toEqual(['resources/read', 'resources/list']);
  });

  it('refuses, as lasting and in words, a server that says it has tools and will not list them', async () => {
    const error = await listServerTools(refusingClient({ tools: {} }), server).catch((thrown: unknown) => thrown as Error);
    expect(error).toBeInstanceOf(ToolListNotMcp);
    expect((error as Error).message).toBe('it says it offers tools, but answered tools/list with "Method not found", so none of its tools can be used; its maker can correct it. It is not restarted on its own: Restart tries it again');
  });
});
