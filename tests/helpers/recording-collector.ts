import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  path: string;
  contentType: string | undefined;
  body: Buffer;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for an OTLP collector: it records every request it receives. The
 * caller closes it (vitest: `onTestFinished(collector.close)`).
 */
export async function startRecordingCollector(options: { status?: number } = {}): Promise<{ endpoint: string; requests: RecordedRequest[]; server: Server; close: () => Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(options.status ?? 200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { endpoint: `http://127.0.0.1:${port}`, requests, server, close };
}
