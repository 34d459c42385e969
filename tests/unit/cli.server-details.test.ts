import { describe, expect, it } from 'vitest';
import { serverDetailLines, serverStateWords } from '../../src/cli/server-details';
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
      '  sandbox: reads the system, the workspace, /home/ana/data/sales (named in its arguments); writes nothing of yours; network none; limits 4096 MB of memory, 600 s of CPU, 128 processes',
      '  may not write /home/ana/data/sales (named in its arguments): "Allow filesystem to write /home/ana/data/sales" on the Tools & servers page grants it, or "sandbox": { "allowWrite": [...] } of filesystem in mcp.json.',
    ]);
    expect(serverDetailLines(server({ sandboxGrants: grants({ writable: ['/home/ana/data/sales'], domains: ['api.example.com'], home: 'readHome' }) }), 0)).toEqual([
      '  sandbox: reads the system, the workspace, your home folder but credentials; writes /home/ana/data/sales; network api.example.com; limits 4096 MB of memory, 600 s of CPU, 128 processes',
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

  it("a Node server's stack trace: its last output leaves out blank lines", () => {
    const stderrTail = "node:internal/modules/cjs/loader:1386\n  throw err;\n  ^\n\nError: Cannot find module '/srv/x.js'\n    at Module._resolveFilename (node:internal/modules/cjs/loader:1383:15) {\n  code: 'MODULE_NOT_FOUND',\n  requireStack: []\n}\n\nNode.js v24.21.0\n\n";
    const crashed = server({ state: 'failed', sandboxGrants: null, sandboxed: null, error: 'it exited with code 1 after writing "node:internal/modules/cjs/loader:1386"', stderrTail });
    expect(serverDetailLines(crashed, 0)).toEqual(['  its last output: requireStack: [] | } | Node.js v24.21.0']);
  });

  it('a server waiting for the decision on a host its sandbox refused as it started: its state says so, with how to keep it stopped', () => {
    const waiting = server({ name: 'downloader', state: 'failed', error: 'its sandbox refused … It is not restarted until you decide', refusedHosts: ['downloads.example.org'], waitingForDomains: ['downloads.example.org'] });
    expect(serverStateWords(waiting)).toBe('waiting for your decision on downloads.example.org');
    expect(serverDetailLines(waiting, 0)).toContain('  to keep it stopped: portcullis tools keep-stopped downloader');
    // Declined, or never waiting: failed, and nothing to keep stopped.
    const declined = server({ name: 'downloader', state: 'failed', waitingForDomains: [] });
    expect(serverStateWords(declined)).toBe('failed');
    expect(serverDetailLines(declined, 0).join('\n')).not.toContain('keep-stopped');
    expect(serverStateWords(server({ state: 'connected' }))).toBe('connected');
  });

  it("says what the row says beside its grants: where to sign in, the breaker's retry, hidden secret files, the SSH agent, limits", () => {
    const remote = server({ name: 'linear', transport: 'http', sandboxed: null, sandboxGrants: null, state: 'starting', signInUrl: 'https://auth.example.com/authorize?client_id=p' });
    expect(serverDetailLines(remote, 0)).toEqual(['  sign in to linear in your browser: https://auth.example.com/authorize?client_id=p (it connects once you are back)']);
    expect(serverDetailLines(server({ breaker: 'open', breakerRetryAt: 31_000 }), 1_000)[0]).toBe('  calls paused after failing in a row: the next call goes through in 30 s');
    expect(serverDetailLines(server({ breaker: 'half-open', breakerRetryAt: null }), 1_000)[0]).toBe('  calls paused after failing in a row: the next call tries it again');
    const hidden = grants({
      readable: [{ path: '/home/ana/ws', from: 'workspace' }],
      workspaceSecrets: { hidden: ['/home/ana/ws/.env', '/home/ana/ws/keys/id_rsa'], allowed: ['/home/ana/ws/.env.example'], complete: true },
      sshAgent: true,
      packageCache: '/home/ana/.cache/portcullis/npm',
      memoryMb: 4096, cpuSeconds: null, maxProcesses: null,
    });
    expect(serverDetailLines(server({ sandboxGrants: hidden }), 0)).toEqual([
      '  sandbox: reads the system, the workspace; writes nothing of yours (and its package cache); network none; limits 4096 MB of memory',
      '  hidden from it: 2 secret files in the workspace (.env, keys/id_rsa); it reads .env.example (its allowRead), as they were when it started',
      '  SSH agent: yours: it may ask it to sign with your keys (its "sshAgent": true in mcp.json)',
    ]);
    const many = grants({ workspaceSecrets: { hidden: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], allowed: [], complete: false }, memoryMb: null, cpuSeconds: null, maxProcesses: null });
    expect(serverDetailLines(server({ sandboxGrants: many }), 0)).toEqual([
      '  sandbox: reads the system, the workspace; writes nothing of yours; network none; limits none can be applied on this machine',
      '  hidden from it: 7 secret files (the look stopped at its limit: deeper ones may be readable) in the workspace (a, b, c, d, e, and 2 more), as they were when it started',
    ]);
  });

  it('a server started again after failing says why it failed last time, first, as its row does while it starts', () => {
    const error = 'it exited with code 1 after writing "Error: Cannot find module \'/srv/mcp/indx.js\'"';
    expect(serverDetailLines(server({ state: 'starting', previousError: error, restarts: 3 }), 0)[0]).toBe(`  starting again; its last start failed: ${error}`);
    expect(serverDetailLines(server({ state: 'connected' }), 0).join('\n')).not.toContain('last start failed');
  });

  it('a server running again after failing says how often and why it last went down, where its state line says connected', () => {
    const failure = 'it crashed (SIGKILL: exit code 137) after writing "out of memory"';
    expect(serverDetailLines(server({ state: 'connected', lastFailure: failure, restarts: 5 }), 0)[0]).toBe(`  restarted 5 times after failing; the last time: ${failure}`);
    expect(serverDetailLines(server({ state: 'connected', restarts: 0 }), 0).join('\n')).not.toContain('after failing');
  });
});
