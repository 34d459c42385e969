import { describe, expect, it } from 'vitest';
import { listServerTools, ToolListNotMcp } from '../../src/core/mcp/server-tools';
import { clientAnswered } from '../helpers/tool-listing-client';

const server = { name: 'h', startupTimeoutMs: 1000, redact: <T>(value: T): T => value };

describe('listServerTools and a tools/list answer that does not follow MCP', () => {
  it('leaves out a tool that breaks MCP, saying in one line which and why, and lists the others', async () => {
    const answer = [
      { name: 'ping', inputSchema: { type: 'object' } },
      { name: 'loop', inputSchema: { $ref: '#' } },
      { inputSchema: { type: 'object' } },
    ];
    const listed = await listServerTools(clientAnswered(answer), server);
    expect(listed.tools.map((tool) => tool.name)).toEqual(['ping']);
    expect(listed.leftOut).toEqual([
      expect.stringMatching(/^Its tool "loop" is left out: it does not follow MCP \(inputSchema\.type: .*"object".*\); its maker can correct it\.$/),
      expect.stringMatching(/^Its tool tools\[2\] \(no name\) is left out: it does not follow MCP \(name: .*\)/),
    ]);
    for (const line of listed.leftOut) expect(line).not.toContain('\n');
  });

  it('refuses, in one line and as lasting, a list none of whose tools can be used, and an answer holding no list', async () => {
    const none = await listServerTools(clientAnswered([{ name: 'loop', inputSchema: { $ref: '#' } }]), server).catch((error: unknown) => error as Error);
    expect(none).toBeInstanceOf(ToolListNotMcp);
    expect((none as Error).message).toMatch(/^none of its 1 tools can be used: its tool "loop": it does not follow MCP \(inputSchema\.type: .*\); its maker can correct it\. It is not restarted on its own/);
    const noList = await listServerTools(clientAnswered('many'), server).catch((error: unknown) => error as Error);
    expect(noList).toBeInstanceOf(ToolListNotMcp);
    expect((noList as Error).message).toMatch(/^its answer to tools\/list holds no list of tools \("tools" is a string\)/);
  });

  it('names at most 20 left-out tools one line each and takes at most 10,000 tools, where a page of 100,000 made as many lines and tools', async () => {
    const broken = Array.from({ length: 100_000 }, () => ({}));
    const listed = await listServerTools(clientAnswered([{ name: 'ping', inputSchema: { type: 'object' } }, ...broken]), server);
    expect(listed.tools.map((tool) => tool.name)).toEqual(['ping']);
    expect(listed.leftOut).toHaveLength(22);
    expect(listed.leftOut[20]).toBe('9979 more of its tools are left out as not following MCP; its maker can correct them.');
    expect(listed.leftOut[21]).toBe('Its tools after the first 10,000 are left out (90,001 of them): Portcullis takes at most 10,000 from one server.');
    const many = Array.from({ length: 100_000 }, (_, index) => ({ name: `t${index}`, inputSchema: { type: 'object' } }));
    expect((await listServerTools(clientAnswered(many), server)).tools).toHaveLength(10_000);
  });

  it('lists a well-formed answer as before, and an empty one', async () => {
    await expect(listServerTools(clientAnswered([{ name: 'ping', inputSchema: { type: 'object' } }]), server)).resolves.toMatchObject({ tools: [{ name: 'ping' }], leftOut: [] });
    await expect(listServerTools(clientAnswered([]), server)).resolves.toEqual({ tools: [], leftOut: [] });
  });
});

describe('listServerTools and a definition nested thousands deep', () => {
  const nested = (depth: number): unknown => {
    let schema: unknown = { type: 'string' };
    for (let level = 0; level < depth; level++) schema = { type: 'object', properties: { x: schema } };
    return schema;
  };

  it('leaves out the tool that nests too deeply, naming it and the 256-level limit, where hashing it overflowed the stack and the server failed with "Maximum call stack size exceeded"', async () => {
    const answer = [
      { name: 'ping', inputSchema: { type: 'object' } },
      { name: 'deep', inputSchema: nested(5000) },
    ];
    const listed = await listServerTools(clientAnswered(answer), server);
    expect(listed.tools.map((tool) => tool.name)).toEqual(['ping']);
    expect(listed.leftOut).toEqual([expect.stringMatching(/^Its tool "deep" is left out: its definition nests more than 256 levels deep/)]);
  });

  it('lists a deep but real schema', async () => {
    await expect(listServerTools(clientAnswered([{ name: 'deep', inputSchema: nested(60) }]), server)).resolves.toMatchObject({ tools: [{ name: 'deep' }] });
  });
});

describe("listServerTools and a tool's name MCP does not allow", () => {
  it('leaves out a name past 128 characters or holding other characters than A-Z a-z 0-9 _ - ., showing it escaped', async () => {
    const answer = [
      { name: 'files.read_all-v2', inputSchema: { type: 'object' } },
      { name: 'x'.repeat(128), inputSchema: { type: 'object' } },
      { name: 'x'.repeat(1_000_000), inputSchema: { type: 'object' } },
      { name: 'notes\u202Eetirw', inputSchema: { type: 'object' } },
      { name: 'r\u0435ad', inputSchema: { type: 'object' } }, // a Cyrillic е
      { name: 'read file', inputSchema: { type: 'object' } },
    ];
    const listed = await listServerTools(clientAnswered(answer), server);
    expect(listed.tools.map((tool) => tool.name)).toEqual(['files.read_all-v2', 'x'.repeat(128)]);
    expect(listed.leftOut).toEqual([
      `Its tool "${'x'.repeat(100)}" is left out: its name is 1,000,000 characters long, where MCP allows at most 128; its maker can correct it.`,
      'Its tool "notes\\u202eetirw" is left out: its name holds characters MCP does not allow in one (only A-Z, a-z, 0-9, _, - and .); its maker can correct it.',
      'Its tool "r\\u0435ad" is left out: its name holds characters MCP does not allow in one (only A-Z, a-z, 0-9, _, - and .); its maker can correct it.',
      'Its tool "read file" is left out: its name holds characters MCP does not allow in one (only A-Z, a-z, 0-9, _, - and .); its maker can correct it.',
    ]);
  });
});
