import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bridgeShape, reapOrphanedBridges, removeStaleBridgeSockets } from '../../src/core/sandbox/orphaned-bridges';

const socatHere = process.platform === 'linux' && spawnSync('socat', ['-V']).status === 0;

/** sandbox-runtime's bridge command line, word for word (initializeLinuxNetworkBridge). */
function bridgeArgs(socketPath: string, port: number): string[] {
  return [`UNIX-LISTEN:${socketPath},fork,reuseaddr`, `TCP:localhost:${port},keepalive,keepidle=10,keepintvl=5,keepcnt=3`];
}

async function listen(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return server;
}

async function freePort(): Promise<number> {
  const server = await listen();
  const port = (server.address() as { port: number }).port;
  await new Promise((done) => server.close(done));
  return port;
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/status`, 'utf8').includes('State:\tZ');
  } catch {
    return false;
  }
}

async function until(check: () => boolean): Promise<void> {
  for (let tries = 0; tries < 200 && !check(); tries++) await new Promise((done) => setTimeout(done, 10));
  expect(check()).toBe(true);
}

describe('bridgeShape', () => {
  it('takes only sandbox-runtime bridge command lines, word for word', () => {
    const args = bridgeArgs('/tmp/claude-http-0123456789abcdef.sock', 40199);
    expect(bridgeShape(['socat', ...args])).toEqual({ socketPath: '/tmp/claude-http-0123456789abcdef.sock', port: 40199 });
    expect(bridgeShape(['/usr/bin/socat', ...bridgeArgs('/tmp/claude-socks-0123456789abcdef.sock', 1)])?.port).toBe(1);
    expect(bridgeShape(['socat', ...args, '-d'])).toBeNull();
    expect(bridgeShape(['nc', ...args])).toBeNull();
    expect(bridgeShape(['socat', 'UNIX-LISTEN:/tmp/claude-http-0123.sock,fork,reuseaddr', args[1]!])).toBeNull();
    expect(bridgeShape(['socat', args[0]!, 'TCP:example.com:80,keepalive,keepidle=10,keepintvl=5,keepcnt=3'])).toBeNull();
    expect(bridgeShape(['socat', 'UNIX-LISTEN:/tmp/my-app.sock,fork,reuseaddr', args[1]!])).toBeNull();
  });
});

describe.skipIf(!socatHere)('reapOrphanedBridges', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  function folder(): string {
    const path = mkdtempSync(join(tmpdir(), 'orphaned-bridges-'));
    cleanups.push(() => rmSync(path, { recursive: true, force: true }));
    return path;
  }

  function socketIn(dir: string): string {
    return join(dir, `claude-http-${randomBytes(8).toString('hex')}.sock`);
  }

  /** A bridge whose parent (a shell) exits at once, as when Portcullis is killed: it is handed to a reaper. */
  async function orphanBridge(socketPath: string, port: number): Promise<number> {
    const shell = spawnSync('sh', ['-c', 'socat "$1" "$2" </dev/null >/dev/null 2>&1 & echo $!', 'sh', ...bridgeArgs(socketPath, port)], { encoding: 'utf8' });
    const pid = Number(shell.stdout.trim());
    cleanups.push(() => alive(pid) && process.kill(pid, 'SIGKILL'));
    await until(() => existsSync(socketPath));
    return pid;
  }

  /** A bridge whose owner is alive: this test process spawned it, as sandbox-runtime does. */
  async function ownedBridge(socketPath: string, port: number): Promise<ChildProcess> {
    const child = spawn('socat', bridgeArgs(socketPath, port), { stdio: 'ignore' });
    cleanups.push(() => child.kill('SIGKILL'));
    await until(() => existsSync(socketPath));
    return child;
  }

  it('ends only the bridge whose owner is gone and whose proxy nothing listens on, and removes its socket', async () => {
    const dir = folder();
    const proxy = await listen();
    cleanups.push(() => proxy.close());
    const proxyPort = (proxy.address() as { port: number }).port;
    const deadPort = await freePort();

    const orphanSocket = socketIn(dir);
    const orphan = await orphanBridge(orphanSocket, deadPort);
    const ownedSocket = socketIn(dir);
    const owned = await ownedBridge(ownedSocket, deadPort);
    const servingSocket = socketIn(dir);
    const serving = await orphanBridge(servingSocket, proxyPort);

    const reaped = reapOrphanedBridges(dir);

    expect(reaped).toEqual([{ pid: orphan, socketPath: orphanSocket, port: deadPort }]);
    await until(() => !alive(orphan));
    expect(existsSync(orphanSocket)).toBe(false);
    expect(alive(owned.pid!)).toBe(true);
    expect(existsSync(ownedSocket)).toBe(true);
    expect(alive(serving)).toBe(true);
    expect(existsSync(servingSocket)).toBe(true);
  });

  it("leaves a live bridge's socket to a process that only spells the bridge's command line under a parent named systemd", async () => {
    const dir = folder();
    const socketPath = socketIn(dir);
    const deadPort = await freePort();
    const owned = await ownedBridge(socketPath, deadPort);
    // The decoy: cat, named socat, blocked opening a FIFO at the path its first word spells (relative to its folder).
    const [listenWord, targetWord] = bridgeArgs(socketPath, deadPort + 1);
    const work = join(dir, 'work');
    mkdirSync(join(work, dirname(listenWord!)), { recursive: true });
    expect(spawnSync('mkfifo', [join(work, listenWord!)]).status).toBe(0);
    symlinkSync('/bin/bash', join(dir, 'systemd'));
    const parent = spawn(join(dir, 'systemd'), ['-c', 'cd "$0"; (exec -a socat cat "$1" "$2") & echo $!; sleep 60; true', work, listenWord!, targetWord!], { stdio: ['ignore', 'pipe', 'ignore'] });
    cleanups.push(() => parent.kill('SIGKILL'));
    const decoy = Number(await new Promise<string>((done) => parent.stdout!.once('data', (data: Buffer) => done(String(data)))));
    cleanups.push(() => alive(decoy) && process.kill(decoy, 'SIGKILL'));
    await until(() => readFileSync(`/proc/${decoy}/cmdline`, 'utf8').startsWith('socat\0'));

    expect(reapOrphanedBridges(dir)).toEqual([]);
    expect(existsSync(socketPath)).toBe(true);
    expect(alive(owned.pid!)).toBe(true);
  });

  it('leaves orphaned bridges whose sockets are in another folder', async () => {
    const orphan = await orphanBridge(socketIn(folder()), await freePort());
    expect(reapOrphanedBridges(folder())).toEqual([]);
    expect(alive(orphan)).toBe(true);
  });
});

describe.skipIf(process.platform !== 'linux')('removeStaleBridgeSockets', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  const bridgeName = (): string => `claude-http-${randomBytes(8).toString('hex')}.sock`;
  const aged = (path: string): void => utimesSync(path, new Date(Date.now() - 120_000), new Date(Date.now() - 120_000));

  /** A socket file whose listener was SIGKILLed, as socat leaves it: the file stays, nothing listens. */
  function deadSocket(path: string): void {
    const script = `require('node:net').createServer().listen(process.argv[1], () => process.kill(process.pid, 'SIGKILL'))`;
    spawnSync(process.execPath, ['-e', script, path]);
    expect(lstatSync(path).isSocket()).toBe(true);
    aged(path);
  }

  it('removes only old bridge-named sockets that refuse a connect, never a listening one, a symlink or another name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stale-bridge-sockets-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));

    const dead = join(dir, bridgeName());
    deadSocket(dead);
    const listening = join(dir, bridgeName());
    const server = createServer();
    await new Promise<void>((done) => server.listen(listening, done));
    cleanups.push(() => server.close());
    aged(listening);
    const deadTarget = join(dir, 'elsewhere.sock');
    deadSocket(deadTarget);
    const symlink = join(dir, bridgeName());
    symlinkSync(deadTarget, symlink);
    const otherName = join(dir, 'claude-http-0123.sock');
    deadSocket(otherName);
    const young = join(dir, bridgeName());
    deadSocket(young);
    utimesSync(young, new Date(), new Date());
    const plainFile = join(dir, bridgeName());
    writeFileSync(plainFile, '');
    aged(plainFile);

    expect(await removeStaleBridgeSockets(dir)).toEqual([dead]);
    expect(existsSync(dead)).toBe(false);
    for (const kept of [listening, symlink, deadTarget, otherName, young, plainFile]) expect(lstatSync(kept)).toBeTruthy();
  });
});
