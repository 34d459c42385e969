import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { StepScriptedModel } from '../helpers/step-scripted-model';
import { storedFiles } from '../helpers/stored-files';
import { startTestRuntime } from '../helpers/test-runtime';

const SECRET = 'zqmemsecret5r8t2w';

describe('a memory is masked as it is kept', () => {
  it('a keychain secret in a memory the model saves, or the person edits, never reaches the file', async () => {
    const model = new StepScriptedModel([{ toolCalls: [{ name: 'memory.save', arguments: { content: `The deploy token is ${SECRET}` } }] }, { text: 'Saved.' }]);
    const t = startTestRuntime({ model, approvalGate: new FixedApprovalGate('all'), secretStore: new MemorySecretStore({ 'deploy.token': SECRET }) });
    // The keychain's secrets are registered with the redactor at start, asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    const conversation = await t.runtime.handlers['conversations.create']({});
    expect((await t.runtime.startTurn(conversation.id, 'remember the deploy token').done).error).toBeNull();
    const [memory] = await t.runtime.handlers['memories.list']({});
    expect(memory!.content).toBe('The deploy token is [REDACTED:secret]');
    await t.runtime.handlers['memories.update']({ id: memory!.id, content: `Now it is ${SECRET}!` });
    expect((await t.runtime.handlers['memories.list']({}))[0]!.content).toBe('Now it is [REDACTED:secret]!');
    for (const file of storedFiles(t.dataDir)) expect(readFileSync(file).includes(Buffer.from(SECRET)), file).toBe(false);
    expect(readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8')).not.toContain(SECRET);
  }, 60_000);
});
