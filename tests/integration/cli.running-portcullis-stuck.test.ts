import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { runningApi } from '../../src/cli/running-portcullis';

/** A local API that takes every request and never answers: a Portcullis stopped (SIGSTOP) or its event loop held. */
async function stuckPortcullis() {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.on('connection', (socket) => onTestFinished(() => void socket.destroy()));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.address() as AddressInfo).port;
}

describe('a command beside a Portcullis that takes its request and says nothing', () => {
  it('ends after the quiet limit saying so, where it waited for ever; a direct call, which may wait for an approval, is not cut', async () => {
    const port = await stuckPortcullis();
    const api = runningApi({ pid: 4242, port, token: 't' }, 300);
    await expect(api.call('policy.explain', { tool: 'fs.write' })).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The Portcullis running on this data folder (pid 4242) took policy.explain and said nothing for 0.3 s; it may be stuck. Check its window or log, or restart it.',
    });
    const call = api.call('tools.call', { name: 'fs.write' });
    const outcome = await Promise.race([call.then(() => 'answered', () => 'failed'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 1_000))]);
    expect(outcome).toBe('still waiting');
  });
});
