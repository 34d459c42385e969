import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestInfo } from '@playwright/test';
import { HOST_START_LIMIT_MS, type Host, startHost, stopHost } from '../helpers/headless-host';

/** What the local API answered one call: its envelope. */
export interface ApiReply {
  ok: boolean;
  output: Record<string, unknown>;
}

/** A script holding an API key: the key, and the local API calls it makes with it. */
export interface ScriptKey {
  readonly key: string;
  /** One call of the local API made with the key. */
  api(channel: string, input: unknown): Promise<ApiReply>;
  /** A direct call of `tool` (`tools.call`), no model taking part. */
  callTool(tool: string, args: unknown): Promise<ApiReply>;
}

/** The Playwright test under way, or null outside one (the bench starts hosts too). */
function runningTest(): TestInfo | null {
  try {
    return test.info();
  } catch {
    return null;
  }
}

/** A real `portcullis serve` process on a temporary data dir, restartable on the same data. */
export class HeadlessHost {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'portcullis-e2e-'));
  readonly workspace = join(this.dataDir, 'workspace');
  private host: Host | null = null;
  url = '';

  /** `extraArgs` go to `portcullis serve`, e.g. `['--approval-timeout', '2s']`; `env` is added to its environment. */
  constructor(
    private readonly extraArgs: readonly string[] = [],
    private readonly env: Readonly<Record<string, string>> = {},
  ) {}

  /**
   * Starts the host. Its start-up is not what a test checks, and takes a few seconds to over 13 s as the machine's load
   * goes: the test's time limit is stretched by what it took (up to startHost's own limit), so a test that starts
   * the host twice is not cut short on a loaded machine.
   */
  async start(): Promise<string> {
    const current = runningTest();
    const running = current && current.timeout > 0 ? current : null; // 0: no limit (--timeout 0, a debugger), left so
    const budget = running?.timeout ?? 0;
    running?.setTimeout(budget + HOST_START_LIMIT_MS);
    const started = Date.now();
    const host = await startHost(this.dataDir, this.extraArgs, this.env).finally(() => running?.setTimeout(budget + (Date.now() - started)));
    this.host = host;
    this.url = `http://127.0.0.1:${host.port}/?token=${host.token}`;
    return this.url;
  }

  /** What the host wrote after its banner: attached to a failed test, since a page that lost its host says only "reconnecting". */
  log(): string {
    return this.host?.log() ?? '';
  }

  /** The origin without the token, as a stranger would try it. */
  get origin(): string {
    return new URL(this.url).origin;
  }

  /**
   * One call of the local API over HTTP, as a script makes it: with the printed URL's token (the person's session),
   * or with `bearer`, an API key's.
   */
  async api(channel: string, input: unknown, bearer = new URL(this.url).searchParams.get('token')!): Promise<ApiReply> {
    const response = await fetch(`${this.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(input) });
    return (await response.json()) as ApiReply;
  }

  /** Creates an API key `name` of `scopes`, as Settings → Local API keys does, and returns the script that holds it. */
  async createScriptKey(name: string, scopes: readonly string[]): Promise<ScriptKey> {
    const created = await this.api('apiKeys.create', { name, scopes });
    if (!created.ok) throw new Error(`apiKeys.create failed: ${JSON.stringify(created)}`);
    const key = created.output.key as string;
    return {
      key,
      api: (channel, input) => this.api(channel, input, key),
      callTool: (tool, args) => this.api('tools.call', { name: tool, arguments: args }, key),
    };
  }

  /** Chooses a local OpenAI-compatible server (a fake one in the tests) as the model, through the API, as a script would. */
  async useLocalModel(baseUrl: string, model = 'e2e-model'): Promise<void> {
    const chosen = await this.api('models.set', { selection: { provider: 'openai-compatible', baseUrl, model, toolMode: 'native' } });
    if (!chosen.ok) throw new Error(`models.set failed: ${JSON.stringify(chosen)}`);
  }

  /** `SIGKILL` ends it as a crash or a power cut would: nothing of it runs after. */
  async stop(signal?: NodeJS.Signals): Promise<void> {
    await stopHost(this.host ?? undefined, signal);
    this.host = null;
  }

  async restart(signal?: NodeJS.Signals): Promise<string> {
    await this.stop(signal);
    return this.start();
  }
}
