import { describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/core/mcp/mcp-config';
import { outputTrust } from '../../src/core/mcp/output-trust';

const entry = (fields: Record<string, unknown>) => {
  const { servers, problems } = parseMcpConfig({ mcpServers: { s: fields } });
  expect(problems).toEqual([]);
  return servers.get('s')!;
};

describe('"trustedOutput" in mcp.json', () => {
  it('is off unless set, and a value that is not true or false skips the entry, naming the field', () => {
    expect(entry({ command: 'files-mcp' }).trustedOutput).toBe(false);
    expect(parseMcpConfig({ mcpServers: { s: { command: 'files-mcp', trustedOutput: 'yes' } } }).problems).toEqual([
      'mcp.json: server "s" was skipped: "trustedOutput" expected boolean, received string.',
    ]);
  });

  it('holds for a sandboxed stdio server only; a remote or unsandboxed one says why not, and one not yet launched waits', () => {
    const stdio = entry({ command: 'files-mcp', trustedOutput: true });
    expect(outputTrust('s', stdio, true)).toEqual({ trusted: true, note: null });
    expect(outputTrust('s', stdio, null)).toEqual({ trusted: false, note: null });
    // Granted a domain, it may pass on text from there, whatever its tools say of themselves.
    const online = entry({ command: 'files-mcp', trustedOutput: true, sandbox: { allowWrite: [], allowedDomains: ['api.github.com'] } });
    expect(outputTrust('s', online, true)).toEqual({ trusted: false, note: expect.stringMatching(/^"trustedOutput" is not used while s may reach api.github.com: /) });
    expect(outputTrust('s', stdio, false)).toEqual({ trusted: false, note: expect.stringMatching(/^"trustedOutput" is not used: s runs outside Portcullis' sandbox, so what it says could come from anywhere/) });
    expect(outputTrust('s', entry({ url: 'https://mcp.example.com/mcp', trustedOutput: true }), false)).toEqual({
      trusted: false,
      note: expect.stringMatching(/^"trustedOutput" is not used for a remote server: s's words come from a computer Portcullis does not control/),
    });
    expect(outputTrust('s', entry({ command: 'files-mcp' }), true)).toEqual({ trusted: false, note: null });
  });
});
