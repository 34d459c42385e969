import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = resolve(__dirname, '..', '..', 'bin', 'portcullis.mjs');

/** A real `portcullis serve` process on a temporary data dir, restartable on the same data. */
export class HeadlessHost {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  readonly workspace = join(this.dataDir, 'workspace');
  private process: ChildProcess | null = null;
  url = '';

  /** `extraArgs` go to `portcullis serve`, e.g. `['--approval-timeout', '2s']`; `env` is added to its environment. */
  constructor(
    private readonly extraArgs: readonly string[] = [],
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  async start(): Promise<string> {
    const child = spawn(process.execPath, [cli, 'serve', '--data-dir', this.dataDir, ...this.extraArgs], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...this.env } });
    this.process = child;
    let output = '';
    this.url = await new Promise<string>((resolveUrl, reject) => {
      const timer = setTimeout(() => reject(new Error(`portcullis serve did not start:\n${output}`)), 15_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        const match = /Open: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolveUrl(match[1]!);
        }
      };
      child.stdout!.on('data', onData);
      child.stderr!.on('data', onData);
      child.once('exit', (code) => reject(new Error(`portcullis serve exited with ${code}:\n${output}`)));
    });
    return this.url;
  }

  /** The origin without the token, as a stranger would try it. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
    this.process = null;
  }

  async restart(): Promise<string> {
    await this.stop();
    return this.start();
  }
}
