import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrubStoredSecretsOnce } from '../../src/core/secrets/start-up-secret-scrub';
import { openDatabase } from '../../src/core/storage/database';
import { SettingsStore } from '../../src/core/storage/stores/settings-store';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { StepScriptedModel } from '../helpers/step-scripted-model';
import { filesHolding } from '../helpers/stored-files';
import { tempDir } from '../helpers/temp-dir';
import { startTestRuntime } from '../helpers/test-runtime';

const CANARY = 'zqstartcanary5r8w2';
const MASK = '[REDACTED:secret]';

/** The messages' text as `portcullis.db` holds it, read on a connection of the test's own. */
function storedMessages(dataDir: string): string[] {
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  try {
    return db.prepare('SELECT content FROM messages ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('the scrub at start', () => {
  it('masks, once per data folder and in the background, what an older Portcullis stored before it was a keychain secret', async () => {
    const dataDir = tempDir();
    // An older Portcullis: the token typed in a chat is stored as typed; later it became a keychain secret unscrubbed.
    const older = startTestRuntime({ dataDir, model: new StepScriptedModel([{ text: 'Noted.' }]) });
    const conversation = await older.runtime.handlers['conversations.create']({});
    await older.runtime.startTurn(conversation.id, `my token is ${CANARY}`).done;
    await older.runtime.dispose();
    expect(storedMessages(dataDir)).toContain(`my token is ${CANARY}`);
    const keychain = new MemorySecretStore({ 'gw.auth': CANARY });

    const t = startTestRuntime({ dataDir, model: new StepScriptedModel([{ text: 'Noted.' }]), secretStore: keychain });
    // The start did not wait for it: the API answers first, the rows are as they were.
    const first = await Promise.race([t.runtime.handlers['app.info']({}).then(() => 'api'), t.runtime.startUpScrub.then(() => 'scrub')]);
    expect(first).toBe('api');
    expect(await t.runtime.startUpScrub).toBe('scrubbed');
    expect(storedMessages(dataDir)).toContain(`my token is ${MASK}`);
    expect(filesHolding(dataDir, CANARY)).toEqual([]);
    const log = readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8');
    expect(log).toContain('"event":"secrets.scrubbed_at_start"');
    expect(log).not.toContain(CANARY);
    await t.runtime.dispose();

    // Once: a row holding it that appears afterwards (here, written into the file directly) is left to the next scrub.
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    db.prepare("INSERT INTO messages (id, conversation_id, turn_id, role, content, created_at) VALUES ('planted', ?, 'x', 'user', ?, 1)").run(conversation.id, `again ${CANARY}`);
    db.close();
    const again = startTestRuntime({ dataDir, model: new StepScriptedModel([{ text: 'Noted.' }]), secretStore: keychain });
    expect(await again.runtime.startUpScrub).toBe('already done');
    expect(storedMessages(dataDir)).toContain(`again ${CANARY}`);

    // A scrub that learned new places (another version) runs again.
    const settings = openDatabase(join(dataDir, 'portcullis.db'));
    const outcome = await scrubStoredSecretsOnce({
      settings: new SettingsStore(settings), secrets: keychain, scrubAll: (values) => again.runtime.secretScrubs.scrubAll(values),
      clock: { now: () => Date.now() }, logger: { info: () => {}, warn: () => {} } as never, version: 'a later scrub',
    });
    settings.close();
    expect(outcome).toBe('scrubbed');
    expect(storedMessages(dataDir)).toContain(`again ${MASK}`);
  }, 60_000);
});
