import { describe, expect, it } from 'vitest';
import { serverDetailLines } from '../../src/cli/server-details';
import type { McpServerStatusInfo, SandboxGrants } from '../../src/shared/domain/tool-catalog';

const grants = (over: Partial<SandboxGrants> = {}): SandboxGrants => ({
  home: 'private', readable: [], workspaceSecrets: { hidden: [], allowed: [], complete: true }, writable: [], packageCache: null, domains: [], offline: true, memoryMb: 4096, cpuSeconds: 600, maxProcesses: 128, ...over,
});

const server = (over: Partial<McpServerStatusInfo>): McpServerStatusInfo => ({
  name: 'filesystem', transport: 'stdio', enabled: true, state: 'connected', error: null, stderrTail: '', toolCount: 14, offers: [], instructions: null, toolPrefix: 'filesystem',
  sandboxed: true, sandboxNote: null, sandboxGrants: grants(), refusedHosts: [], unwritableFolders: [], signInUrl: null, signedIn: false, breaker: 'closed', breakerRetryAt: null,
  restarts: 0, nextRestartAt: null, ignoredApprovals: [], fieldWarnings: [], outputTrusted: false, outputTrustNote: null, ...over,
});

describe('tools list says under each server what its row on the Tools & servers page says', () => {
  it('a pasted filesystem server on a folder outside the workspace: what it reads and writes, and how to let it write there', () => {
    const pasted = server({
      sandboxGrants: grants({ readable: [{ path: '/home/ana/data/sales', from: 'arguments' }, { path: '/home/ana/.nvm', from: 'runtime' }] }),
      unwritableFolders: [{ folder: '/home/ana/data/sales', seen: 'named', notOffered: null }],
    });
    expect(serverDetailLines(pasted, 0)).toEqual([
      '  sandbox: reads the system, the workspace, /home/ana/data/sales (named in its arguments); writes nothing of yours; network none',
      '  may not write /home/ana/data/sales (named in its arguments): "Allow filesystem to write /home/ana/data/sales" on the Tools & servers page grants it, or "sandbox": { "allowWrite": [...] } of filesystem in mcp.json.',
    ]);
    expect(serverDetailLines(server({ sandboxGrants: grants({ writable: ['/home/ana/data/sales'], domains: ['api.example.com'], home: 'readHome' }) }), 0)).toEqual([
      '  sandbox: reads the system, the workspace, your home folder but credentials; writes /home/ana/data/sales; network api.example.com',
    ]);
  });

  it('an env path no grant can make work says why, not "may not write" a folder above it', () => {
    const row = server({
      name: 'memory',
      unwritableFolders: [
        { folder: '/nonexistent/dir', seen: 'environment', environment: { variable: 'P5', path: '/nonexistent/dir/file.db', problem: 'its folder /nonexistent/dir does not exist' }, notOffered: 'No grant here makes it work: create that folder, or correct P5 of memory in mcp.json.' },
      ],
    });
    expect(serverDetailLines(row, 0).slice(1)).toEqual([
      "  its env's P5 names /nonexistent/dir/file.db, but its folder /nonexistent/dir does not exist. No grant here makes it work: create that folder, or correct P5 of memory in mcp.json.",
    ]);
  });

  it("a sandboxed server's note, the hosts its sandbox refused and another app's approvals left unused are said as its row says them", () => {
    const note = 'Its allowWrite names /home/ana/out, which does not exist, so it gives nothing: the sandbox grants only what is there when the server starts. Create it (or correct the path in mcp.json), then restart the server.';
    const ignored = '"autoApprove" (read_file) is another app\'s setting and is not used here: every call of these tools goes through your policy, which may ask you.';
    const row = server({ sandboxNote: note, refusedHosts: ['api.example.com'], ignoredApprovals: [ignored] });
    expect(serverDetailLines(row, 0).slice(1)).toEqual([
      '  its sandbox refused to let it reach: api.example.com: "Allow api.example.com" on the Tools & servers page allows it, or "sandbox": { "allowedDomains": [...] } of filesystem in mcp.json.',
      `  ${note}`,
      `  ${ignored}`,
    ]);
  });

  it('a server outside the sandbox says why', () => {
    expect(serverDetailLines(server({ sandboxed: false, sandboxGrants: null, sandboxNote: '"sandbox": false in mcp.json turned it off.' }), 0)).toEqual(['  NOT sandboxed: "sandbox": false in mcp.json turned it off.']);
  });

  it('a failed server: its last output (unless its error quotes it already) and when it restarts', () => {
    const crashed = server({ state: 'failed', error: 'it exited with code 1 after writing "Error: DATABASE_URL is not set"', stderrTail: 'Error: DATABASE_URL is not set\n    at main (server.js:12)\n', restarts: 4, nextRestartAt: 12_400 });
    expect(serverDetailLines(crashed, 10_000).slice(1)).toEqual(['  its last output: Error: DATABASE_URL is not set | at main (server.js:12)', '  restarts in 3 s (restarted 4 times so far)']);
    const quoted = server({ state: 'failed', sandboxGrants: null, sandboxed: null, error: 'it exited with code 1 after writing "boom"', stderrTail: 'boom', restarts: 0, nextRestartAt: 1_000 });
    expect(serverDetailLines(quoted, 0)).toEqual(['  restarts in 1 s']);
  });

  it('a server started again after failing says why it failed last time, first, as its row does while it starts', () => {
    const error = 'it exited with code 1 after writing "Error: Cannot find module \'/srv/mcp/indx.js\'"';
    expect(serverDetailLines(server({ state: 'starting', previousError: error, restarts: 3 }), 0)[0]).toBe(`  starting again; its last start failed: ${error}`);
    expect(serverDetailLines(server({ state: 'connected' }), 0).join('\n')).not.toContain('last start failed');
  });
});
