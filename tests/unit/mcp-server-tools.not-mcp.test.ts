import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ListToolsResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { listServerTools } from '../../src/core/mcp/server-tools';

/** A client whose server answered tools/list with `tools`: it refuses the answer as the SDK's own parse does. */
function clientAnswered(tools: unknown[]): Client {
  return {
    listTools: async () => ListToolsResultSchema.parse({ tools }),
    getServerCapabilities: () => ({ tools: {} }),
  } as unknown as Client;
}

const server = { name: 'h', startupTimeoutMs: 1000, redact: <T>(value: T): T => value };

describe('listServerTools and a tools/list answer that does not follow MCP', () => {
  it('says in one line which part of the answer is wrong, where it quoted the validator\'s JSON over many lines', async () => {
    const answer = [
      { name: 'ping', inputSchema: { type: 'object' } },
      { name: 'loop', inputSchema: { $ref: '#' } },
    ];
    const refused = await listServerTools(clientAnswered(answer), server).then(
      () => new Error('listed'),
      (error: unknown) => error as Error,
    );
    expect(refused.message).toMatch(/^its list of tools does not follow MCP \(tools\[1\]\.inputSchema\.type: .*"object".*\), so none of its tools can be used/);
    expect(refused.message).not.toContain('\n');
  });

  it('lists a well-formed answer as before', async () => {
    await expect(listServerTools(clientAnswered([{ name: 'ping', inputSchema: { type: 'object' } }]), server)).resolves.toMatchObject([{ name: 'ping' }]);
  });
});

describe('listServerTools and a definition nested thousands deep', () => {
  const nested = (depth: number): unknown => {
    let schema: unknown = { type: 'string' };
    for (let level = 0; level < depth; level++) schema = { type: 'object', properties: { x: schema } };
    return schema;
  };

  it('says which tool nests too deeply, where hashing it overflowed the stack and the server failed with "Maximum call stack size exceeded"', async () => {
    const answer = [
      { name: 'ping', inputSchema: { type: 'object' } },
      { name: 'deep', inputSchema: nested(5000) },
    ];
    const refused = await listServerTools(clientAnswered(answer), server).then(
      () => new Error('listed'),
      (error: unknown) => error as Error,
    );
    expect(refused.message).toMatch(/^its tool "deep" has a definition nested more than 256 levels deep/);
  });

  it('lists a deep but real schema', async () => {
    await expect(listServerTools(clientAnswered([{ name: 'deep', inputSchema: nested(60) }]), server)).resolves.toMatchObject([{ name: 'deep' }]);
  });
});
