import { z } from 'zod';
import type { Clock } from '../clock';
import type { Logger } from '../logging/logger';
import type { SettingsStore } from '../storage/stores/settings-store';
import { rowsScrubbed, type ScrubReport } from '../storage/scrub/stored-secret-scrubber';
import { STORED_SECRET_SCRUB_VERSION } from '../storage/scrub/scrub-version';
import { keychainSecretValues } from './keychain-secret-values';
import type { SecretStore } from './secret-store';

const KEY = 'secrets.scrubbedAtStart';
const DoneSchema = z.object({ version: z.string(), at: z.number() }).nullable();

/** `not run`: not the folder's owner, no keychain, or closed before it began. */
export type StartUpScrubOutcome = 'scrubbed' | 'already done' | 'not finished' | 'not run';

export interface StartUpScrubDeps {
  settings: SettingsStore;
  secrets: SecretStore;
  /** The runtime's scrubs, one at a time (`StoredSecretScrubs.scrubAll`); null when it is closing. */
  scrubAll(values: string[]): Promise<ScrubReport | null>;
  clock: Clock;
  logger: Logger;
  /** What the scrub covers now (`STORED_SECRET_SCRUB_VERSION`). */
  version?: string;
}

/**
 * After an upgrade, values stored before they were keychain secrets (typed in a chat, said back by a server) stayed
 * in the files until the person ran `portcullis secrets scrub`. The data folder's owner runs that scrub itself, in
 * the background, at a start where it has not run yet: once per folder, recorded in the settings with the scrub's
 * version, and again when the scrub learns new places. A secret stored later is scrubbed when it is stored. The log
 * says counts only. Not recorded when the keychain cannot be read, the scrub fails, Portcullis closes first, or a
 * WAL could not be emptied (old pages may stay in it): the next start tries again.
 */
export async function scrubStoredSecretsOnce(deps: StartUpScrubDeps): Promise<StartUpScrubOutcome> {
  const version = deps.version ?? STORED_SECRET_SCRUB_VERSION;
  try {
    if (deps.settings.get(KEY, DoneSchema, null)?.version === version) return 'already done';
    const report = await deps.scrubAll(await keychainSecretValues(deps.secrets));
    if (!report) return 'not finished';
    deps.logger.info(
      { event: 'secrets.scrubbed_at_start', secrets: report.secrets, rows: report.rows, exports: report.exports, toolPins: report.toolPins, walsEmptied: report.walsEmptied, ms: report.ms },
      `masked the keychain's ${report.secrets} secret values where they were stored before they were secrets: ${rowsScrubbed(report)} rows`,
    );
    if (!report.walsEmptied) return 'not finished';
    deps.settings.set(KEY, DoneSchema, { version, at: deps.clock.now() }, deps.clock.now());
    return 'scrubbed';
  } catch (error) {
    deps.logger.warn({ event: 'secrets.scrub_at_start_failed', message: (error as Error).message }, 'the secrets stored before they were secrets could not be masked; the next start tries again (or portcullis secrets scrub)');
    return 'not finished';
  }
}

/** `scrubStoredSecretsOnce` in the background after the start (the window and the API do not wait for it), not begun once `closing`. */
export function scrubStoredSecretsAfterStart(deps: StartUpScrubDeps, closing: () => boolean): Promise<StartUpScrubOutcome> {
  return new Promise<void>((resolve) => setImmediate(resolve)).then(() => (closing() ? 'not run' : scrubStoredSecretsOnce(deps)));
}
