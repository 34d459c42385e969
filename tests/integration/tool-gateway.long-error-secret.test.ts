import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_OUTPUT_CAP_CHARS } from '../../src/core/tools/output-sanitizer';
import type { ToolDefinition } from '../../src/core/tools/tool-definition';
import type { ToolRunner } from '../../src/core/tools/tool-runner';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p-long-enough-to-cut-8d1f';
const MASK = '[REDACTED:secret]';

const lookup: ToolDefinition = {
  name: 'local.lookup',
  description: 'Look a name up.',
  inputSchema: { type: 'object', properties: {}, additionalProperties: false },
  annotations: { readOnlyHint: true, openWorldHint: false },
  sandboxed: true,
  describeCall: () => 'Look a name up',
};

describe("a call's long error or result, cut to length", () => {
  it('is stored with a secret across its 4,000-character cut masked, not its first characters', async () => {
    // The secret starts 20 characters before the cut: cut first, its first 20 characters were stored.
    const message = `${'x'.repeat(3_980)}${CANARY} and more`;
    const runner: ToolRunner = { run: async () => ({ ok: false, error: { code: 'TOOL_FAILED', message } }), dispose() {} };
    const t = startTestRuntime({ secretStore: new MemorySecretStore({ 'deploy.token': CANARY }), extraTools: [{ definition: lookup, runner }] });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);

    const record = await t.runtime.handlers['tools.call']({ name: 'local.lookup', arguments: {} });
    expect(record).toMatchObject({ status: 'failed', error: { code: 'TOOL_FAILED' } });
    const db = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    const stored = db.prepare('SELECT error_message FROM tool_calls').pluck().all() as string[];
    db.close();
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toContain(CANARY.slice(0, 12));
    expect(stored[0]!.slice(3_950)).toBe(`${'x'.repeat(30)}${MASK} an`);
  }, 60_000);

  it('is stored with a secret across the result cap masked, not its first characters', async () => {
    const text = `${'x'.repeat(DEFAULT_OUTPUT_CAP_CHARS - 20)}${CANARY} and more`;
    const runner: ToolRunner = { run: async () => ({ ok: true, result: { content: [{ type: 'text', text }] } }), dispose() {} };
    const t = startTestRuntime({ secretStore: new MemorySecretStore({ 'deploy.token': CANARY }), extraTools: [{ definition: lookup, runner }] });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (said) => said === MASK);

    expect(await t.runtime.handlers['tools.call']({ name: 'local.lookup', arguments: {} })).toMatchObject({ status: 'succeeded' });
    const db = new BetterSqlite3(join(t.dataDir, 'portcullis.db'), { readonly: true });
    const stored = db.prepare('SELECT result_json FROM tool_calls').pluck().all() as string[];
    db.close();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toContain('[Output truncated by Portcullis');
    expect(stored[0]).not.toContain(CANARY.slice(0, 12));
  }, 60_000);
});
