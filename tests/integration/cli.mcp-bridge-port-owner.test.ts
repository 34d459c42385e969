import { spawn } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { describe, expect, it, onTestFinished } from 'vitest';
import { otherUsersListener } from '../../src/cli/loopback-listener';
import { cliBin } from '../helpers/paths';
import { freePort } from '../helpers/free-port';
import { until } from '../helpers/until';

/** Another user's program on the port: it prints what it is sent and answers 500. */
const SQUATTER = `
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(5)
print('listening', flush=True)
while True:
    c, _ = s.accept(); print(c.recv(65536).decode('latin-1'), flush=True)
    c.sendall(b'HTTP/1.1 500 No\\r\\nContent-Length: 0\\r\\nConnection: close\\r\\n\\r\\n'); c.close()
`;

describe.skipIf(process.platform !== 'linux' || process.getuid?.() !== 0)("portcullis mcp and a port another user's program holds", () => {
  it('sends the key to no one but a program of its own user: another who bound the port while Portcullis was not running gets nothing', async () => {
    const port = await freePort();
    const squatter = spawn('/usr/bin/python3', ['-c', SQUATTER, String(port)], { uid: 65534, gid: 65534, stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => void squatter.kill());
    let heard = '';
    squatter.stdout.on('data', (chunk: Buffer) => (heard += chunk.toString()));
    await until('the squatter listening', () => heard, (text) => text.includes('listening'));
    expect(otherUsersListener(port)).toContain('uid 65534');

    const transport = new StdioClientTransport({ command: process.execPath, args: [cliBin, 'mcp', '--port', String(port)], env: { PATH: process.env.PATH ?? '', PORTCULLIS_API_KEY: 'pck_canary_key_0123456789' }, stderr: 'pipe' });
    const client = new Client({ name: 'Claude Desktop', version: '1.0.0' });
    onTestFinished(() => client.close());
    await expect(client.connect(transport)).rejects.toThrow(/another user's \(uid 65534\), not your Portcullis: the key was not sent to it/);
    expect(heard).not.toContain('pck_canary');
  }, 30_000);
});
