import { describe, expect, it } from 'vitest';
import { parseMcpConfig } from '../../src/core/mcp/mcp-config';

const server = (sandbox: unknown) => ({ mcpServers: { files: { command: 'mcp-server-filesystem', sandbox } } });

describe("mcp.json's read grants: what of the home folder a sandboxed server may read", () => {
  it('takes "allowRead" (as "allowWrite" is written) and "readHome"; neither given, the home folder is private to it', () => {
    const { servers, problems } = parseMcpConfig(server({ allowRead: ['~/papers', 'notes', '/srv/data'], readHome: true }));
    expect(problems).toEqual([]);
    expect(servers.get('files')!.sandbox).toMatchObject({ allowRead: ['~/papers', 'notes', '/srv/data'], readHome: true });
    expect(parseMcpConfig(server({})).servers.get('files')!.sandbox).toMatchObject({ allowRead: [], readHome: false });
    expect(parseMcpConfig({ mcpServers: { files: { command: 'x' } } }).servers.get('files')!.sandbox).toMatchObject({ allowRead: [], readHome: false });
  });

  it('skips a server whose read grant is not a list of paths, or whose readHome is not true or false, naming the field', () => {
    const problem = (sandbox: unknown) => {
      const { servers, problems } = parseMcpConfig(server(sandbox));
      expect(servers.has('files')).toBe(false);
      return problems[0];
    };
    expect(problem({ allowRead: '~/papers' })).toBe('mcp.json: server "files" was skipped: "sandbox.allowRead" expected array, received string.');
    expect(problem({ allowRead: [''] })).toBe('mcp.json: server "files" was skipped: "sandbox.allowRead.0" expected string to have >=1 characters.');
    expect(problem({ readHome: 'yes' })).toBe('mcp.json: server "files" was skipped: "sandbox.readHome" expected boolean, received string.');
    expect(problem({ allowWrite: '/srv' })).toBe('mcp.json: server "files" was skipped: "sandbox.allowWrite" expected array, received string.');
    // Neither false nor an object: nothing deeper to name.
    expect(problem(true)).toMatch(/server "files" was skipped: "sandbox" /);
  });
});
