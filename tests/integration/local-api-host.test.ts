import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execFile } from 'node:child_process';
import { request } from 'node:http';
import { promisify } from 'node:util';
import { manageLocalApi } from '../../src/server/local-api-host';
import { makeTerminalFolder, readTerminalAccess, terminalAccessFile, terminalSocketPath } from '../../src/core/runtime/terminal-access';
import { freePort } from '../helpers/free-port';
import { cliBin } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const post = (port: number, channel: string, headers: Record<string, string> = {}) =>
  fetch(`http://127.0.0.1:${port}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

describe('the desktop app’s local API follows the Settings switch', () => {
  it('is off by default, starts when enabled (API keys only), and stops when disabled', async () => {
    const { runtime } = startTestRuntime();
    const errors: unknown[] = [];
    const host = manageLocalApi(runtime, (error) => errors.push(error));
    onTestFinished(() => host.dispose());
    await host.settled();
    expect(runtime.localApi.describe()).toMatchObject({ enabled: false, running: false, url: null });

    const port = await freePort();
    const { key } = runtime.apiKeys.create({ name: 'script', scopes: ['chat'] });
    await runtime.handlers['localApi.set']({ enabled: true, port });
    await host.settled();
    expect(runtime.localApi.describe()).toMatchObject({ enabled: true, running: true, url: `http://127.0.0.1:${port}/api` });
    expect((await post(port, 'conversations.list', { authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await post(port, 'conversations.list')).status).toBe(401);
    expect((await post(port, 'secrets.list', { authorization: `Bearer ${key}` })).status).toBe(403);
    // MCP clients are served there too (Portcullis as their governed gateway), behind the same key.
    const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } } };
    const mcp = (headers: Record<string, string>) =>
      fetch(`http://127.0.0.1:${port}/mcp`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(initialize) });
    expect((await mcp({ authorization: `Bearer ${key}` })).status).toBe(200);
    expect((await mcp({})).status).toBe(401);
    // No renderer and no session token here: the page is not served even to a key holder.
    expect((await fetch(`http://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(404);

    await runtime.handlers['localApi.set']({ enabled: false, port });
    await host.settled();
    expect(runtime.localApi.describe()).toMatchObject({ enabled: false, running: false });
    await expect(post(port, 'conversations.list', { authorization: `Bearer ${key}` })).rejects.toThrow();
    expect(errors).toEqual([]);
  });

  it('remembers the switch across restarts of the app', async () => {
    const first = startTestRuntime();
    const port = await freePort();
    first.runtime.localApi.set({ enabled: true, port });
    await first.runtime.dispose();
    const { runtime } = startTestRuntime({ dataDir: first.dataDir });
    const host = manageLocalApi(runtime);
    onTestFinished(() => host.dispose());
    await host.settled();
    expect(runtime.localApi.describe()).toMatchObject({ enabled: true, running: true });
  });
});

describe('the desktop app with its local API off', () => {
  it('lets in only a `portcullis` command on its data folder (terminal-access.json), on a socket and no port, until it closes', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const host = manageLocalApi(runtime);
    onTestFinished(() => host.dispose());
    await host.settled();
    const access = readTerminalAccess(dataDir);
    expect(access).toMatchObject({ pid: process.pid, socket: terminalSocketPath(dataDir) });
    // Nothing listens on the network: the socket is a file of the owner's alone.
    expect(access!.port).toBeUndefined();
    expect(statSync(access!.socket!).mode & 0o777).toBe(0o600);
    const { socket, token } = access! as { socket: string; token: string };
    const catalog = await overSocket(socket, 'tools.catalog', `Bearer ${token}`);
    expect(catalog.status).toBe(200);
    expect(JSON.parse(catalog.body) as object).toMatchObject({ ok: true, output: { tools: expect.any(Array) } });
    // Nothing else: no key (the local API is off), no approval (a command never answers one), no MCP client.
    const { key } = runtime.apiKeys.create({ name: 'script', scopes: ['admin'] });
    expect((await overSocket(socket, 'conversations.list', `Bearer ${key}`)).status).toBe(401);
    expect((await overSocket(socket, 'approvals.decide', `Bearer ${token}`)).status).toBe(403);
    expect((await overSocket(socket, '', `Bearer ${token}`, '/mcp')).status).toBe(404);
    expect(runtime.localApi.describe()).toMatchObject({ enabled: false, running: false, url: null });
    // A real command finds it there and goes through it.
    const listed = await promisify(execFile)(process.execPath, [cliBin, 'tools', 'list', '--json', '--data-dir', dataDir]);
    expect(listed.stderr).toContain(`through the Portcullis running on this data folder (pid ${process.pid})`);
    expect(Object.keys(JSON.parse(listed.stdout) as object)).toEqual(['tools', 'servers', 'problems']);

    // Turned on, the local API serves the command as well (the file names its port); closed, the file goes.
    const apiPort = await freePort();
    await runtime.handlers['localApi.set']({ enabled: true, port: apiPort });
    await host.settled();
    expect(readTerminalAccess(dataDir)).toMatchObject({ port: apiPort });
    expect(existsSync(socket)).toBe(false);
    await host.dispose();
    expect(existsSync(terminalAccessFile(dataDir))).toBe(false);
  });
});

describe('what sits at the name of the desktop app\'s socket for commands', () => {
  /** Starts the app's server for commands on `dataDir` with `leftover` made at its socket's name first; what it logged. */
  async function startWith(leftover: (socket: string) => void): Promise<{ dataDir: string; socket: string; logged: string; errors: unknown[] }> {
    const dataDir = tempDir();
    makeTerminalFolder(dataDir);
    const socket = terminalSocketPath(dataDir);
    leftover(socket);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => logged.mockRestore());
    const { runtime } = startTestRuntime({ dataDir });
    const errors: unknown[] = [];
    const host = manageLocalApi(runtime, (error) => errors.push(error));
    onTestFinished(() => host.dispose());
    await host.settled();
    return { dataDir, socket, logged: logged.mock.calls.map((call) => call.join(' ')).join('\n'), errors };
  }

  it('a file, a link or an empty folder left there is removed (never what a link points to), said in the log, and commands get in', async () => {
    const outside = join(tempDir(), 'precious.txt');
    writeFileSync(outside, 'keep me');
    for (const [what, leftover] of [
      ['file', (socket: string) => writeFileSync(socket, 'x')],
      ['link', (socket: string) => symlinkSync(outside, socket)],
      ['folder', (socket: string) => mkdirSync(socket)],
    ] as const) {
      const { dataDir, socket, logged, errors } = await startWith(leftover);
      expect(errors).toEqual([]);
      expect(readTerminalAccess(dataDir)).toMatchObject({ socket });
      expect(lstatSync(socket).isSocket()).toBe(true);
      expect(logged).toContain(`removed the ${what} at ${socket}`);
      const { token } = readTerminalAccess(dataDir)!;
      expect((await overSocket(socket, 'tools.catalog', `Bearer ${token}`)).status).toBe(200);
    }
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
  });

  it('a folder with something in it is left as it is (a link inside not followed), and a fresh name beside it is served, which a command finds', async () => {
    const outside = join(tempDir(), 'precious.txt');
    writeFileSync(outside, 'keep me');
    const { dataDir, socket, logged, errors } = await startWith((socket) => {
      mkdirSync(socket);
      writeFileSync(join(socket, 'note.txt'), 'mine');
      symlinkSync(outside, join(socket, 'link'));
    });
    expect(errors).toEqual([]);
    const access = readTerminalAccess(dataDir)!;
    expect(access.socket).toMatch(/terminal-[0-9a-f]{16}\.sock$/);
    expect(dirname(access.socket!)).toBe(dirname(socket));
    expect(logged).toContain(`${socket} is a folder that could not be removed (ENOTEMPTY); commands reach this Portcullis on ${access.socket} instead`);
    expect(readFileSync(join(socket, 'note.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(outside, 'utf8')).toBe('keep me');
    const listed = await promisify(execFile)(process.execPath, [cliBin, 'tools', 'list', '--json', '--data-dir', dataDir]);
    expect(listed.stderr).toContain(`through the Portcullis running on this data folder (pid ${process.pid})`);
  });
});

/** A POST over the desktop app's socket for commands, as `portcullis tools call` sends it. */
function overSocket(socketPath: string, channel: string, authorization: string, path = `/api/${channel}`): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const sent = request({ socketPath, path, method: 'POST', headers: { authorization, 'content-type': 'application/json' } }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    sent.on('error', reject);
    sent.end('{}');
  });
}

describe('a port already in use', () => {
  it('is reported in the setting’s status instead of failing silently', async () => {
    const blocker = (await import('node:net')).createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    onTestFinished(() => new Promise<void>((done) => blocker.close(() => done())));
    const port = (blocker.address() as { port: number }).port;
    const { runtime } = startTestRuntime();
    const errors: unknown[] = [];
    const host = manageLocalApi(runtime, (error) => errors.push(error));
    onTestFinished(() => host.dispose());
    await runtime.handlers['localApi.set']({ enabled: true, port });
    await host.settled();
    expect(runtime.localApi.describe()).toMatchObject({ enabled: true, running: false, problem: expect.stringContaining(`port ${port} is in use`) });
    expect(errors).toHaveLength(1);
  });
});
