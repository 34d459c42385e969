import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import BetterSqlite3 from 'better-sqlite3';
import { expect, onTestFinished } from 'vitest';

/** What the local API answered one request: its HTTP status and, when it answered JSON, its envelope. */
export interface ChannelReply {
  status: number;
  ok: boolean;
  output?: unknown;
  error?: { code: string; message: string };
}

/** One request of the local API on `port`, as a script holding `bearer` (a key or a JWT) makes it. */
export async function postChannel(port: number, bearer: string, channel: string, input: unknown): Promise<ChannelReply> {
  const response = await fetch(`http://127.0.0.1:${port}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify(input),
  });
  const json = response.headers.get('content-type')?.includes('json') ? ((await response.json()) as Omit<ChannelReply, 'status'>) : { ok: false };
  return { status: response.status, ...json };
}

/** An MCP client (the SDK's, as Cursor's is) connected to `/mcp` on `port` with `bearer`; closed when the test ends. */
export async function connectMcpClient(port: number, bearer: string, name = 'Cursor'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { authorization: `Bearer ${bearer}` } } }));
  onTestFinished(() => client.close());
  return client;
}

/** The data of the audit chain's entries of `kind` in `dataDir`'s database, oldest first. */
export function auditedData(dataDir: string, kind: string): Record<string, unknown>[] {
  const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
  try {
    return (db.prepare('SELECT data_json FROM audit_log WHERE kind = ? ORDER BY seq').pluck().all(kind) as string[]).map((data) => JSON.parse(data) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

/**
 * How `/mcp` refused a request, the name or URI it asked for written `<asked>`: two requests whose refusals read
 * alike here were told the same thing.
 */
export async function mcpRefusal(request: Promise<unknown>, asked: string): Promise<{ code: unknown; message: string }> {
  const error = await request.then(
    () => expect.unreachable(`${asked} was answered`),
    (refused: unknown) => refused as { code: unknown; message: string },
  );
  return { code: error.code, message: error.message.replaceAll(asked, '<asked>') };
}
