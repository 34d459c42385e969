import { describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/core/mcp/mcp-config';
import { outputTrust, saysItReachesOut } from '../../src/core/mcp/output-trust';

const entry = (fields: Record<string, unknown>) => {
  const { servers, problems } = parseMcpConfig({ mcpServers: { s: fields } });
  expect(problems).toEqual([]);
  return servers.get('s')!;
};

const closed = { sandboxed: true, offline: true };
const notLaunched = { sandboxed: null, offline: null };

describe('"trustedOutput" in mcp.json', () => {
  it('is off unless set, and a value that is not true or false skips the entry, naming the field', () => {
    expect(entry({ command: 'files-mcp' }).trustedOutput).toBe(false);
    expect(parseMcpConfig({ mcpServers: { s: { command: 'files-mcp', trustedOutput: 'yes' } } }).problems).toEqual([
      'mcp.json: server "s" was skipped: "trustedOutput" expected boolean, received string.',
    ]);
  });

  it('holds for a closed (sandboxed, offline) stdio server only; a remote or unsandboxed one says why not, and one not yet launched waits', () => {
    const stdio = entry({ command: 'files-mcp', trustedOutput: true });
    expect(outputTrust('s', stdio, closed)).toEqual({ trusted: true, note: null });
    expect(outputTrust('s', stdio, notLaunched)).toEqual({ trusted: false, note: null });
    // Granted a domain, it may pass on text from there, whatever its tools say of themselves.
    const online = entry({ command: 'files-mcp', trustedOutput: true, sandbox: { allowWrite: [], allowedDomains: ['api.github.com'] } });
    expect(outputTrust('s', online, { sandboxed: true, offline: false })).toEqual({ trusted: false, note: expect.stringMatching(/^"trustedOutput" is not used while s may reach api.github.com: /) });
    expect(outputTrust('s', online, notLaunched)).toEqual({ trusted: false, note: expect.stringMatching(/^"trustedOutput" is not used while s may reach api.github.com: /) });
    expect(outputTrust('s', stdio, { sandboxed: false, offline: null })).toEqual({ trusted: false, note: expect.stringMatching(/^"trustedOutput" is not used: s runs outside Portcullis' sandbox, so what it says could come from anywhere/) });
    expect(outputTrust('s', entry({ url: 'https://mcp.example.com/mcp', trustedOutput: true }), { sandboxed: false, offline: null })).toEqual({
      trusted: false,
      note: expect.stringMatching(/^"trustedOutput" is not used for a remote server: s's words come from a computer Portcullis does not control/),
    });
    expect(outputTrust('s', entry({ command: 'files-mcp' }), closed)).toEqual({ trusted: false, note: null });
  });

  it('does not hold for a sandboxed server granted no domain whose sandbox cannot refuse local sockets (no seccomp): it is not offline', () => {
    const stdio = entry({ command: 'files-mcp', trustedOutput: true });
    expect(outputTrust('s', stdio, { sandboxed: true, offline: false })).toEqual({
      trusted: false,
      note: '"trustedOutput" is not used: this computer\'s sandbox cannot keep s from local services\' sockets (an SSH agent, Docker), through which what it says could come from elsewhere, so its tools\' output still marks the conversation as holding untrusted content.',
    });
  });

  it('holds for the rest of a closed server, not for its tools that say they reach out (openWorldHint: true), which its note names', () => {
    const stdio = entry({ command: 'files-mcp', trustedOutput: true });
    const tool = (name: string, openWorldHint?: boolean) => ({ name, inputSchema: { type: 'object' as const }, ...(openWorldHint === undefined ? {} : { annotations: { openWorldHint } }) });
    expect(outputTrust('s', stdio, closed, [tool('read', false), tool('list')])).toEqual({ trusted: true, note: null });
    expect(outputTrust('s', stdio, closed, [tool('read', false), tool('fetch', true)])).toEqual({
      trusted: true,
      note: '"trustedOutput" is not used for fetch: it says it reaches outside your computer (openWorldHint): what it returns could be text from there, so its output still marks the conversation as holding untrusted content.',
    });
    const many = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((name) => tool(name, true));
    expect(outputTrust('s', stdio, closed, many).note).toMatch(/^"trustedOutput" is not used for a, b, c, d, e and 2 more: they say they reach outside your computer/);
    expect(saysItReachesOut(tool('fetch', true))).toBe(true);
    // MCP's default is open-world, but on an offline server a tool that says nothing is taken at its server's word.
    expect(saysItReachesOut(tool('list'))).toBe(false);
  });
});
