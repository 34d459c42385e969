import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Serves a scenario's fixture pages on 127.0.0.1 (a free port); 404 for anything else. */
export async function startFixtureWebServer(pages: (base: string) => Record<string, string>): Promise<{ base: string; close(): Promise<void> }> {
  let content: Record<string, string> = {};
  const server = createServer((req, res) => {
    const page = content[req.url ?? ''];
    if (page === undefined) res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    else res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  content = pages(base);
  return {
    base,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
