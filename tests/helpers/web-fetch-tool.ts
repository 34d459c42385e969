import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ToolRunner } from '../../src/core/tools/tool-runner';

/** A real HTTP server on 127.0.0.1 that records every request it gets. */
export async function startWebServer(pages: Record<string, string>): Promise<{ url: (path: string) => string; hits: string[]; server: Server }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const body = pages[(req.url ?? '/').split('?')[0]!];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/plain' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: (path) => `http://127.0.0.1:${port}${path}`, hits, server };
}

/** A web fetch tool as an MCP server would declare it: read-only, open-world. Runs in-process with real HTTP. */
export const webFetchTool: ToolDefinition = {
  name: 'web.fetch',
  description: 'Fetch a URL and return its text.',
  inputSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'], additionalProperties: false },
  annotations: { title: 'Fetch', readOnlyHint: true, openWorldHint: true },
  sandboxed: false,
  describeCall: (args) => `Fetch ${String(args.url)}`,
};

export const webFetchRunner: ToolRunner = {
  async run({ arguments: args }) {
    try {
      const response = await fetch(String(args.url));
      return { ok: true, result: { status: response.status, text: await response.text() } };
    } catch (error) {
      return { ok: false, error: { code: 'TOOL_FAILED', message: (error as Error).message } };
    }
  },
  dispose() {},
};
