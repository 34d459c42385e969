import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { otherAppConfigs, readOtherAppServers } from '../../src/core/mcp/import/other-app-configs';
import { tempDir } from '../helpers/temp-dir';

const fileOf = (id: string, where: Parameters<typeof otherAppConfigs>[0]) => otherAppConfigs(where).find((s) => s.id === id)!.file;

function write(file: string, content: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
}

describe("other MCP hosts' configs", () => {
  it("are looked for where each app keeps them on each platform", () => {
    expect(fileOf('claude-desktop', { home: '/Users/ann', platform: 'darwin' })).toBe('/Users/ann/Library/Application Support/Claude/claude_desktop_config.json');
    expect(fileOf('claude-desktop', { home: '/home/ann', platform: 'linux' })).toBe('/home/ann/.config/Claude/claude_desktop_config.json');
    expect(fileOf('claude-desktop', { home: 'C:/Users/ann', platform: 'win32', appData: 'C:/Users/ann/AppData/Roaming' })).toBe(join('C:/Users/ann/AppData/Roaming', 'Claude', 'claude_desktop_config.json'));
    expect(fileOf('vscode', { home: '/Users/ann', platform: 'darwin' })).toBe('/Users/ann/Library/Application Support/Code/User/mcp.json');
    expect(fileOf('cursor', { home: '/home/ann', platform: 'linux' })).toBe('/home/ann/.cursor/mcp.json');
  });

  it("read in Portcullis' shape: VS Code's servers, Windsurf's serverUrl; a prompted value or a broken file is said", () => {
    const home = tempDir();
    const where = { home, platform: 'linux' as const };
    const sources = Object.fromEntries(otherAppConfigs(where).map((s) => [s.id, s]));
    expect(readOtherAppServers(sources['cursor']!)).toBeNull(); // not installed

    write(sources['windsurf']!.file, { mcpServers: { remote: { serverUrl: 'https://mcp.example.com/mcp' } } });
    expect(readOtherAppServers(sources['windsurf']!)).toEqual({ servers: { remote: { url: 'https://mcp.example.com/mcp' } }, problems: [] });

    write(sources['vscode']!.file, {
      inputs: [{ id: 'key', type: 'promptString', password: true }],
      servers: { plain: { type: 'stdio', command: 'npx', args: ['-y', 'x'] }, prompted: { command: 'npx', env: { API_KEY: '${input:key}' } } },
    });
    const vscode = readOtherAppServers(sources['vscode']!)!;
    expect(vscode.servers).toEqual({ plain: { type: 'stdio', command: 'npx', args: ['-y', 'x'] } });
    expect(vscode.problems).toEqual([expect.stringContaining('prompted takes a value that VS Code asks for when it starts')]);

    write(sources['lm-studio']!.file, '{ "mcpServers": ');
    expect(readOtherAppServers(sources['lm-studio']!)).toEqual({ servers: {}, problems: [expect.stringMatching(/mcp\.json could not be read/)] });
  });

  it("never bring over Portcullis' own grants, which the other app ignores: its sandbox and trusted output stay Portcullis' defaults", () => {
    const home = tempDir();
    const sources = Object.fromEntries(otherAppConfigs({ home, platform: 'linux' }).map((s) => [s.id, s]));
    const planted = { command: 'npx', args: ['-y', 'notes-mcp'], sandbox: false, trustedOutput: true };
    write(sources['cursor']!.file, { mcpServers: { notes: planted, open: { ...planted, sandbox: { readHome: true, sshAgent: true, allowedDomains: ['*'] } } } });
    expect(readOtherAppServers(sources['cursor']!)).toEqual({ servers: { notes: { command: 'npx', args: ['-y', 'notes-mcp'] }, open: { command: 'npx', args: ['-y', 'notes-mcp'] } }, problems: [] });
    write(sources['claude-code']!.file, { projects: { '/p': { mcpServers: { notes: planted } } } });
    expect(readOtherAppServers(sources['claude-code']!)!.servers).toEqual({ notes: { command: 'npx', args: ['-y', 'notes-mcp'] } });
  });

  it("never bring over a secret:NAME reference: plain text to the other app, your keychain's value here (a model's key, another server's token)", () => {
    const home = tempDir();
    const sources = Object.fromEntries(otherAppConfigs({ home, platform: 'linux' }).map((s) => [s.id, s]));
    write(sources['cursor']!.file, {
      mcpServers: {
        notes: { command: 'npx', args: ['-y', 'notes-mcp'], env: { NOTES_KEY: 'secret:provider.openai' } },
        remote: { url: 'https://mcp.example.com/mcp', headers: { authorization: 'Bearer secret:mcp.github.GITHUB_TOKEN' } },
        flags: { command: 'npx', args: ['-y', 'x', '--token=secret:provider.anthropic'] },
        plain: { command: 'npx', args: ['-y', 'x'], env: { MODE: 'topsecret:no' } },
      },
    });
    const cursor = readOtherAppServers(sources['cursor']!)!;
    expect(cursor.servers).toEqual({ plain: { command: 'npx', args: ['-y', 'x'], env: { MODE: 'topsecret:no' } } });
    expect(cursor.problems).toEqual([
      'notes holds secret:provider.openai: to Cursor that is plain text, but Portcullis would fill it in from your keychain, so it was not brought over; add the server by hand if you mean it.',
      expect.stringMatching(/^remote holds secret:mcp\.github\.GITHUB_TOKEN: to Cursor/),
      expect.stringMatching(/^flags holds secret:provider\.anthropic: to Cursor/),
    ]);
    write(sources['goose']!.file, 'extensions:\n  notes:\n    type: stdio\n    cmd: npx\n    envs:\n      KEY: secret:provider.openai\n');
    expect(readOtherAppServers(sources['goose']!)).toEqual({ servers: {}, problems: [expect.stringMatching(/^notes holds secret:provider\.openai: to Goose/)] });
  });

  it("a broken file is said by where its mistake is, never quoting it: its words are the servers' tokens as pasted", () => {
    const home = tempDir();
    const sources = Object.fromEntries(otherAppConfigs({ home, platform: 'linux' }).map((s) => [s.id, s]));
    const canary = 'ghp_CANARY0secret0value0123456789';
    write(sources['goose']!.file, `extensions:\n  github:\n    envs:\n      GITHUB_TOKEN: ${canary}\n     bad: [\n`);
    write(sources['cursor']!.file, `{"mcpServers": {"github": {"env": {"GITHUB_TOKEN": ${canary}}}}}`);
    write(sources['windsurf']!.file, canary);
    for (const id of ['goose', 'cursor', 'windsurf']) {
      const problems = readOtherAppServers(sources[id]!)!.problems;
      expect(problems, id).toEqual([expect.stringContaining('could not be read')]);
      expect(problems.join(' '), id).not.toMatch(/ghp_|CANARY/);
    }
    expect(readOtherAppServers(sources['goose']!)!.problems[0]).toMatch(/could not be read \(its mistake is at line 5, column 1\)\.$/);
    expect(readOtherAppServers(sources['cursor']!)!.problems[0]).toMatch(/could not be read \((its mistake is at line 1, column \d+|it holds an unexpected character)\)\.$/);
  });

  it("read Goose's extensions: stdio and remote ones, its timeout in seconds; built-ins are Goose's own; keychain values are said", () => {
    const home = tempDir();
    const goose = otherAppConfigs({ home, platform: 'linux' }).find((s) => s.id === 'goose')!;
    expect(goose.file).toBe(join(home, '.config', 'goose', 'config.yaml'));
    write(
      goose.file,
      [
        'GOOSE_MODE: smart_approve',
        'extensions:',
        '  developer: { type: builtin, name: developer, enabled: true, bundled: true }',
        '  filesystem:',
        '    type: stdio',
        '    cmd: npx',
        '    args: ["-y", "@modelcontextprotocol/server-filesystem", "/tmp"]',
        '    envs: { LOG_LEVEL: debug }',
        '    env_keys: []',
        '    timeout: 300',
        '    enabled: false',
        '  remote: { type: streamable_http, uri: "https://mcp.example.com/mcp", headers: {}, timeout: 60 }',
        '  github: { type: stdio, cmd: npx, args: [], env_keys: [GITHUB_PERSONAL_ACCESS_TOKEN] }',
      ].join('\n'),
    );
    expect(readOtherAppServers(goose)).toEqual({
      servers: {
        filesystem: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { LOG_LEVEL: 'debug' }, timeoutMs: 300_000, enabled: false },
        remote: { url: 'https://mcp.example.com/mcp', headers: {}, timeoutMs: 60_000 },
      },
      problems: [expect.stringMatching(/^github takes GITHUB_PERSONAL_ACCESS_TOKEN from Goose's keychain/)],
    });
    expect(fileOf('goose', { home: 'C:/Users/ann', platform: 'win32', appData: 'C:/Users/ann/AppData/Roaming' })).toBe(join('C:/Users/ann/AppData/Roaming', 'Block', 'goose', 'config', 'config.yaml'));
  });

  it("read Claude Code's user-wide servers and each project's (its default scope); a name defined differently twice is said", () => {
    const home = tempDir();
    const claudeCode = otherAppConfigs({ home, platform: 'linux' }).find((s) => s.id === 'claude-code')!;
    write(claudeCode.file, {
      numStartups: 12,
      mcpServers: { everywhere: { type: 'stdio', command: 'npx', args: ['-y', 'a'] } },
      projects: {
        '/home/ann/site': { mcpServers: { db: { command: 'db-mcp', args: [] }, everywhere: { type: 'stdio', command: 'npx', args: ['-y', 'a'] } } },
        '/home/ann/api': { mcpServers: { db: { command: 'other-db-mcp', args: [] } }, allowedTools: [] },
        '/home/ann/empty': {},
      },
    });
    expect(readOtherAppServers(claudeCode)).toEqual({
      servers: { everywhere: { type: 'stdio', command: 'npx', args: ['-y', 'a'] }, db: { command: 'db-mcp', args: [] } },
      problems: ['db is defined differently for the project /home/ann/api; the first definition came over, add that one by hand under another name.'],
    });
  });
});
