import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Host, startHost, stopHost } from '../helpers/headless-host';

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

  async start(): Promise<string> {
    const host = await startHost(this.dataDir, this.extraArgs, this.env);
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
  async api(channel: string, input: unknown, bearer = new URL(this.url).searchParams.get('token')!): Promise<{ ok: boolean; output: Record<string, unknown> }> {
    const response = await fetch(`${this.origin}/api/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` }, body: JSON.stringify(input) });
    return (await response.json()) as { ok: boolean; output: Record<string, unknown> };
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
