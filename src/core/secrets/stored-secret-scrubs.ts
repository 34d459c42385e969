import type { Disposable } from '../lifecycle/disposable';
import type { ScrubReport } from '../storage/scrub/stored-secret-scrubber';

/**
 * Keychain names whose values come from a server through Portcullis' own OAuth sign-in (`McpOAuthProvider`):
 * never typed or stored in a conversation before, and refreshed often, so storing one starts no scrub.
 */
const SIGN_IN_SECRET = /^mcp-oauth\./;

/**
 * Scrubs each secret value stored in the keychain from what the data folder already holds, in the background: the
 * request that stored it (Settings, a model key, mcp.json's credentials moving on save) answers at once. One scrub
 * runs at a time; values stored while one runs are scrubbed together by the next (a pasted mcp.json moves several).
 */
export class StoredSecretScrubs implements Disposable {
  private readonly waiting = new Set<string>();
  private queued = false;
  private closed = false;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: {
      scrub(values: string[]): Promise<ScrubReport>;
      onScrubbed(report: ScrubReport): void;
      onFailed(error: unknown): void;
    },
  ) {}

  /** A value was stored under `name` in the keychain. */
  stored(name: string, value: string): void {
    if (SIGN_IN_SECRET.test(name)) return;
    this.waiting.add(value);
    if (this.queued) return;
    this.queued = true;
    this.done = this.done.then(() => this.scrubWaiting());
  }

  /**
   * Scrubs `values` after the scrub under way, if any (one at a time); resolves with its report, or null once the
   * runtime is closing (the databases are about to close: it is left for the next start).
   */
  scrubAll(values: string[]): Promise<ScrubReport | null> {
    const report = this.done.then(() => (this.closed ? null : this.deps.scrub(values)));
    this.done = report.then(
      () => undefined,
      () => undefined,
    );
    return report;
  }

  /** Resolves once every value stored so far is scrubbed. */
  settled(): Promise<void> {
    return this.done;
  }

  /** A scrub under way finishes before the databases close: stopped halfway, the rest would wait for `secrets scrub`. */
  dispose(): Promise<void> {
    this.closed = true;
    return this.done;
  }

  private async scrubWaiting(): Promise<void> {
    this.queued = false;
    const values = [...this.waiting];
    this.waiting.clear();
    try {
      this.deps.onScrubbed(await this.deps.scrub(values));
    } catch (error) {
      this.deps.onFailed(error);
    }
  }
}
