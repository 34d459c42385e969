import type { IncomingMessage } from 'node:http';
import { MAX_REQUEST_BYTES } from '../shared/api/wire';

/** A request's body as text, refused (RangeError, the connection destroyed) past the API's largest request. */
export function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        request.destroy();
        reject(new RangeError('too large'));
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
