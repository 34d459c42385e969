import { join } from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { argumentCredentials, replaceArgumentCredentials, writtenCredentialValues } from '../../src/core/mcp/argument-credentials';
import { HIDDEN_VALUE } from '../../src/core/mcp/hidden-credentials';
import { McpConfigEditor } from '../../src/core/mcp/mcp-config-editor';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { tempDir } from '../helpers/temp-dir';

const hidden = (args: string[]) => replaceArgumentCredentials(args, argumentCredentials(args, () => true), () => '***');

describe('credentials written into a server\'s arguments', () => {
  it.each([
    [['postgresql://user:pw1@localhost/db'], ['postgresql://user:***@localhost/db']],
    [['mongodb+srv://me:p%40ss@cluster0.example.net/?retryWrites=true'], ['mongodb+srv://me:***@cluster0.example.net/?retryWrites=true']],
    [['--token', 'ghp_1'], ['--token', '***']],
    [['--api-key=sk-1', '--password', 'hunter2'], ['--api-key=***', '--password', '***']],
    [['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN=ghp_2', 'ghcr.io/github/github-mcp-server'], ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN=***', 'ghcr.io/github/github-mcp-server']],
    [['mcp-remote', 'https://mcp.example.com/sse', '--header', 'Authorization: Bearer abc'], ['mcp-remote', 'https://mcp.example.com/sse', '--header', 'Authorization: Bearer ***']],
    // A real credential under such a name is still one, however plain it looks.
    [['--auth', 'sk-live-0a1b2c'], ['--auth', '***']],
    [['--password', 'postgres', '--password=123456'], ['--password', '***', '--password=***']],
    [['postgresql://me:1234@h/db', 'mysql://me:none@h/db'], ['postgresql://me:***@h/db', 'mysql://me:***@h/db']],
  ])('%j is hidden as %j', (args, expected) => expect(hidden(args)).toEqual(expected));

  it.each([
    [['-y', '@modelcontextprotocol/server-filesystem', '/home/me/notes']],
    [['--token-file', '/run/secrets/token', '--auth-type', 'oauth', '--client-id', 'abc']],
    [['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server']],
    [['mcp-remote', 'https://mcp.example.com/sse', '--header', 'Authorization:${AUTH_HEADER}']],
    [['--token', '--verbose']],
    [['https://example.com/path']],
    // Settings of a credential-named option: how to authenticate, whether to, how long.
    [['--auth', 'none']],
    [['--auth', 'oauth', '--auth-token', 'Bearer'], ['--auth=basic', '--token=false', '--pat', 'off']],
    [['--auth', 'OAuth', '--token-refresh', '300', '-e', 'REDIS_AUTH=true', '--header', 'Authorization: none']],
  ])('%j holds none', (...cases) => {
    for (const args of cases) expect(hidden(args)).toEqual(args);
  });

  it('a file that does not parse is shown with the credentials in its arguments cut too', () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{ "mcpServers": { "pg": { "command": "x", "args": ["postgresql://u:canary-1@h/db", "--token", "canary-2", "--verbose"], "env": { "PGPASSWORD": "canary-3" } ');
    const { text } = new McpConfigEditor({ file, onSaved: async () => undefined }).read();
    expect(text).not.toMatch(/canary/);
    expect(text).toContain(`"postgresql://u:${HIDDEN_VALUE}@h/db", "--token", "${HIDDEN_VALUE}", "--verbose"`);
  });
});

describe('saving a pasted server whose credential-named options are plain settings', () => {
  it('keeps --auth none and AUTH=oauth in the file and moves only the real tokens', async () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{"mcpServers":{}}');
    const secrets = new MemorySecretStore();
    const editor = new McpConfigEditor({ file, onSaved: async () => undefined, secrets });
    const pasted = { mcpServers: { gh: { command: 'gh-mcp', args: ['--auth', 'none', '--token', 'ghp_real1'], env: { MCP_AUTH: 'oauth', GITHUB_TOKEN: 'ghp_real2' } } } };
    expect(await editor.save(JSON.stringify(pasted))).toMatchObject({ saved: true, movedToKeychain: ['mcp.gh.GITHUB_TOKEN', 'mcp.gh.token'] });
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.gh).toMatchObject({
      args: ['--auth', 'none', '--token', 'secret:mcp.gh.token'],
      env: { MCP_AUTH: 'oauth', GITHUB_TOKEN: 'secret:mcp.gh.GITHUB_TOKEN' },
    });
  });
});

describe('writtenCredentialValues', () => {
  it('names the credentials written out in env or headers, without a scheme word; references and other names are not', () => {
    expect(
      writtenCredentialValues({
        Authorization: 'Bearer abc-written-123',
        'X-Api-Key': 'k-written-456',
        GITHUB_TOKEN: 'secret:mcp.gh.token',
        OPENAI_API_KEY: '${OPENAI_API_KEY}',
        EMPTY_TOKEN: '',
        LOG_LEVEL: 'debug',
        REDIS_AUTH: 'false',
        MCP_AUTH: 'none',
      }),
    ).toEqual(['abc-written-123', 'k-written-456']);
    expect(writtenCredentialValues(undefined)).toEqual([]);
  });
});
