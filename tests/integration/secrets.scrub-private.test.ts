import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { announceSecretsChanged } from '../../src/core/secrets/secrets-changed-signal';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { ScriptedModel } from '../helpers/scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';

describe('a private conversation and a value stored later as a secret', () => {
  it('is masked in its messages, tool calls and traces when the value is stored, and the model is not given it again', async () => {
    const model = new ScriptedModel([
      { calls: [{ name: 'fs.write', arguments: { path: 'notes.txt', content: `pass ${CANARY}` } }] },
      { text: `Wrote pass ${CANARY}.` },
      { text: 'Noted.' },
    ]);
    const t = startTestRuntime({ model, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore() });
    await t.runtime.handlers['telemetry.configure']({ captureMode: 'full' });
    const chat = await t.runtime.handlers['conversations.create']({ private: true });
    const first = await t.runtime.startTurn(chat.id, `save my deploy pass ${CANARY}`).done;
    expect(first.error).toBeNull();
    await t.runtime.telemetry.flush();
    // Kept in memory as typed, before it was a secret.
    expect(JSON.stringify(await t.runtime.handlers['messages.list']({ conversationId: chat.id }))).toContain(CANARY);

    await t.runtime.handlers['secrets.set']({ name: 'deploy.token', value: CANARY });
    await t.runtime.secretScrubs.settled();

    const messages = await t.runtime.handlers['messages.list']({ conversationId: chat.id });
    expect(JSON.stringify(messages)).not.toContain(CANARY);
    expect(messages[0]!.content).toBe(`save my deploy pass ${MASK}`);
    expect(JSON.stringify(await t.runtime.handlers['traces.spans']({ traceId: first.traceId }))).not.toContain(CANARY);
    // The next turn's request to the model is built from the masked rows.
    await t.runtime.startTurn(chat.id, 'thanks').done;
    expect(JSON.stringify(model.requests.at(-1))).not.toContain(CANARY);
  }, 60_000);

  it('is masked when another process stores the value (portcullis secrets set), whose scrub cannot reach this process\'s memory', async () => {
    const keychain = new MemorySecretStore();
    const t = startTestRuntime({ model: new ScriptedModel([{ text: 'Noted.' }]), secretStore: keychain });
    // The start's own scrub (of an empty keychain) is behind us: only the signal can mask it now.
    await t.runtime.startUpScrub;
    const chat = await t.runtime.handlers['conversations.create']({ private: true });
    await t.runtime.startTurn(chat.id, `my deploy pass is ${CANARY}`).done;
    // What `portcullis secrets set` does in its own process: the keychain, then the signal to the folder.
    await keychain.set('deploy.pass', CANARY);
    announceSecretsChanged(t.dataDir);
    await until('the private conversation masked', async () => (await t.runtime.handlers['messages.list']({ conversationId: chat.id }))[0]!.content, (text) => text === `my deploy pass is ${MASK}`);
  }, 60_000);
});
