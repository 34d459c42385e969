import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { restartableHost } from '../helpers/restartable-host';

describe('an /mcp session whose URL picked its tools, taken up again after a restart', () => {
  it('keeps its pick, and is not found rather than offered every tool when the kept pick cannot be read', async () => {
    const host = restartableHost();
    const t = await host.start();
    const key = t.runtime.apiKeys.create({ name: 'Cursor', scopes: ['tools'] }).key;
    const connect = async () => {
      const transport = new StreamableHTTPClientTransport(new URL(`${host.url.href}?tools=fs.read`), { requestInit: { headers: { authorization: `Bearer ${key}` } } });
      const client = new Client({ name: 'Cursor', version: '1.0.0' });
      await client.connect(transport);
      onTestFinished(() => client.close());
      return client;
    };
    const kept = await connect();
    const unreadable = await connect();
    expect((await kept.listTools()).tools.map((tool) => tool.name)).toEqual(['fs_read']);
    const sessionOf = (client: Client) => (client.transport as StreamableHTTPClientTransport).sessionId!;
    await host.stop();
    // What another build kept: more patterns than this one reads (a URL picks by at most 50).
    const db = new BetterSqlite3(join(host.dataDir, 'portcullis.db'));
    db.prepare('UPDATE mcp_sessions SET tools = ? WHERE id = ?').run(Array.from({ length: 60 }, (_, i) => `fs.read${i}`).join(','), sessionOf(unreadable));
    db.close();
    await host.start();

    expect((await kept.listTools()).tools.map((tool) => tool.name)).toEqual(['fs_read']);
    await expect(unreadable.listTools()).rejects.toThrow(/Session not found/);
  });
});
