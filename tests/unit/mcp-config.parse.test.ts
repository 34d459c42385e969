import { describe, expect, it } from 'vitest';
import { callTimeouts, isStdio, parseMcpConfig } from '../../src/core/mcp/mcp-config';

describe('mcp.json', () => {
  it("accepts Claude Desktop's format as is, with Portcullis' defaults beside it", () => {
    const pasted = {
      mcpServers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'] },
        github: { command: 'docker', args: ['run', '-i', 'ghcr.io/github/github-mcp-server'], env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'secret:github' } },
        remote: { url: 'https://mcp.example.com/mcp', headers: { Authorization: 'Bearer secret:remote' } },
      },
      globalShortcut: 'Ctrl+Space',
    };
    const { servers, problems } = parseMcpConfig(pasted);
    expect(problems).toEqual([]);
    const fs = servers.get('filesystem')!;
    expect(isStdio(fs)).toBe(true);
    expect(fs).toMatchObject({ enabled: true, timeoutMs: 30_000, maxConcurrent: 4, sandbox: { allowWrite: [], allowedDomains: [] } });
    expect(servers.get('github')).toMatchObject({ env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'secret:github' } });
    expect(isStdio(servers.get('remote')!)).toBe(false);
  });

  it('skips only the broken entry, naming it and what is wrong', () => {
    const { servers, problems } = parseMcpConfig({
      mcpServers: { good: { command: 'x' }, bad: { command: 'x', timeoutMs: -1 }, 'has space': { command: 'x' }, neither: {} },
    });
    expect([...servers.keys()]).toEqual(['good']);
    expect(problems).toHaveLength(3);
    // What is wrong with it, as the kind of server it is (it has a command), not that it is neither kind.
    expect(problems).toContain('mcp.json: server "bad" was skipped: "timeoutMs" must be >0.');
    expect(problems).toContain('mcp.json: server "neither" was skipped: it needs "command" (stdio) or "url" (HTTP).');
    expect(problems.join('\n')).toMatch(/"has space" was skipped/);
  });

  it("refuses another user's home folder (~name) in a path field and ~name/… in env, naming the field; ~ and ~/… are the person's own", () => {
    const { servers, problems } = parseMcpConfig({
      mcpServers: {
        env: { command: 'x', env: { DATA: '~bob/notes.db' } },
        cwd: { command: 'x', cwd: '~bob' },
        write: { command: 'x', sandbox: { allowWrite: ['~www/site'] } },
        read: { command: 'x', sandbox: { allowRead: ['~/ok', '~bob/.ssh'] } },
        // A bare ~word in env may be a word or a password; ./~www is a folder of that name in the workspace.
        own: { command: 'x', env: { HOME_DB: '~/a.db', PASSWORD: '~hunter2', RANGE: '~1.2/3' }, cwd: '~/p', sandbox: { allowWrite: ['~', './~www'] } },
      },
    });
    expect([...servers.keys()]).toEqual(['own']);
    const own = 'Portcullis expands only "~" and "~/…" (your own home folder): write the full path.';
    expect(problems).toEqual([
      `mcp.json: server "env" was skipped: "env.DATA" is "~name/…", which a shell reads as a path in that user's home folder; ${own}`,
      `mcp.json: server "cwd" was skipped: "cwd" is "~bob": a shell reads "~bob" as user bob's home folder; ${own}`,
      `mcp.json: server "write" was skipped: "sandbox.allowWrite.0" is "~www/site": a shell reads "~www" as user www's home folder; ${own}`,
      `mcp.json: server "read" was skipped: "sandbox.allowRead.1" is "~bob/.ssh": a shell reads "~bob" as user bob's home folder; ${own}`,
    ]);
  });

  it('reports a file without mcpServers as an object', () => {
    expect(parseMcpConfig([]).problems[0]).toMatch(/must be an object with an "mcpServers" object/);
    expect(parseMcpConfig({ mcpServers: 'nope' }).servers.size).toBe(0);
  });

  it("says what to rename when VS Code's format is pasted, and accepts its entries once it is", () => {
    const servers = { github: { type: 'stdio', command: 'github-mcp', args: [] }, docs: { type: 'sse', url: 'https://docs.example.com/sse' } };
    expect(parseMcpConfig({ servers }).problems).toEqual([expect.stringContaining('has a "servers" section (VS Code\'s format) and no "mcpServers": rename')]);
    expect(parseMcpConfig({ mcpServers: servers })).toMatchObject({ problems: [], servers: new Map([['github', expect.anything()], ['docs', expect.anything()]]) });
    expect(parseMcpConfig({ mcpServers: {}, servers: {} }).problems).toEqual([]);
  });

  it("keeps a server another app turned off (Cline's and Windsurf's \"disabled\": true) off; \"enabled\" says otherwise", () => {
    const { servers } = parseMcpConfig({ mcpServers: { off: { command: 'x', disabled: true }, on: { command: 'x', disabled: false }, mine: { command: 'x', disabled: true, enabled: true } } });
    expect([...servers].map(([name, config]) => [name, config.enabled])).toEqual([['off', false], ['on', true], ['mine', true]]);
  });

  it("says what to rename when a remote server's address is under Windsurf's or Gemini CLI's name", () => {
    const { problems } = parseMcpConfig({ mcpServers: { windsurf: { serverUrl: 'https://mcp.example.com/sse' }, gemini: { httpUrl: 'https://mcp.example.com/mcp' } } });
    expect(problems).toEqual([
      'mcp.json: server "windsurf" was skipped: it gives its address as "serverUrl", which Portcullis calls "url": rename it.',
      'mcp.json: server "gemini" was skipped: it gives its address as "httpUrl", which Portcullis calls "url": rename it.',
    ]);
  });

  it('says where a server entry pasted without "mcpServers" around it belongs, rather than read it as no server', () => {
    expect(parseMcpConfig({ memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } }).problems).toEqual([
      'mcp.json has "memory" at its top level, which reads as a server entry: put it inside "mcpServers": { … }.',
    ]);
    const astray = parseMcpConfig({ mcpServers: { kept: { command: 'x' } }, a: { url: 'https://a.example/mcp' }, b: { command: 'y' }, note: { text: 'not a server' } });
    expect(astray.problems).toEqual(['mcp.json has "a", "b" at its top level, which read as server entries: put them inside "mcpServers": { … }.']);
    expect([...astray.servers.keys()]).toEqual(['kept']);
  });

  it('takes per-tool timeouts over the server one; the hard ceiling is never below it', () => {
    const { servers } = parseMcpConfig({ mcpServers: { s: { command: 'x', timeoutMs: 1_000, toolTimeouts: { slow: 5_000 }, maxTotalTimeoutMs: 2_000 } } });
    const s = servers.get('s')!;
    expect(callTimeouts(s, 'fast')).toEqual({ idleMs: 1_000, totalMs: 2_000 });
    expect(callTimeouts(s, 'slow')).toEqual({ idleMs: 5_000, totalMs: 5_000 });
  });
});
