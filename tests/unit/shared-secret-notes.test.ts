import { describe, expect, it } from 'vitest';
import { turnedOffServerStatus } from '../../src/core/mcp/server-status';
import { parseMcpConfig } from '../../src/core/mcp/mcp-config';

const configOf = (name: string, entry: Record<string, unknown>) => parseMcpConfig({ mcpServers: { [name]: entry } }, 'mcp.json').servers.get(name)!;

describe("a server's row says when its entry gives it a secret that is not its own", () => {
  it("names the model's key and another server's credential; its own and the person's other secrets are not said", () => {
    const pasted = configOf('notes', {
      command: 'npx',
      args: ['-y', 'notes-mcp', '--token', 'secret:mcp.github.GITHUB_TOKEN'],
      env: { OPENAI_API_KEY: 'secret:provider.openai.apiKey', NOTES_KEY: 'secret:mcp.notes.NOTES_KEY', DB: 'secret:notes-db' },
      enabled: false,
    });
    expect(turnedOffServerStatus('notes', pasted).fieldWarnings).toEqual([
      'It is given secret:mcp.github.GITHUB_TOKEN, the github server\'s credential: it can use it, and send it wherever it may reach. If that is not meant, give it one of its own.',
      'It is given secret:provider.openai.apiKey, the API key of your model: it can use it, and send it wherever it may reach. If that is not meant, give it a key of its own.',
    ]);
    expect(turnedOffServerStatus('remote', configOf('remote', { url: 'https://mcp.example.com/mcp', headers: { authorization: 'Bearer secret:provider.anthropic.apiKey' }, enabled: false })).fieldWarnings).toEqual([
      expect.stringMatching(/^It is given secret:provider\.anthropic\.apiKey, the API key of your model/),
    ]);
  });
});
