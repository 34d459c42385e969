import BetterSqlite3 from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { openDatabase } from '../../src/core/storage/database';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { ScriptedModel } from '../helpers/scripted-model';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';

/** A policy.yaml the person wrote by hand, with the value of a keychain secret in a rule's reason and pattern. */
const POLICY = `version: 1
rules:
  - id: deny.deploy
    effect: deny
    reason: "never write where the deploy pass ${CANARY} is used"
    match:
      tool: fs.write
      args:
        path: { regex: "deploy/|${CANARY}" }
`;

describe('a policy.yaml holding the value of a keychain secret', () => {
  it('is left as written, and its value reaches neither the Policies page, policy explain, a denied call\'s record, the model nor the log', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'policy.yaml'), POLICY);
    const model = new ScriptedModel([{ calls: [{ name: 'fs.write', arguments: { path: 'deploy/a.txt', content: 'x' } }] }, { text: 'It was refused.' }]);
    const t = startTestRuntime({ dataDir, model, secretStore: new MemorySecretStore({ 'deploy.pass': CANARY }) });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);

    const status = await t.runtime.handlers['policy.status']({});
    expect(status.rules.map((rule) => rule.id)).toContain('deny.deploy');
    expect(JSON.stringify(status)).not.toContain(CANARY);
    expect(status.rules.find((rule) => rule.id === 'deny.deploy')!.reason).toBe(`never write where the deploy pass ${MASK} is used`);
    const explained = await t.runtime.handlers['policy.explain']({ tool: 'fs.write', arguments: { path: 'deploy/b.txt', content: 'x' } });
    expect(explained.decision).toMatchObject({ effect: 'deny', ruleId: 'deny.deploy' });
    expect(JSON.stringify(explained)).not.toContain(CANARY);

    // The rule still holds as written: it denies the call, and says so without the value.
    const conversation = await t.runtime.handlers['conversations.create']({});
    const turn = await t.runtime.startTurn(conversation.id, 'write the deploy file').done;
    expect(turn.toolCalls[0]).toMatchObject({ status: 'denied', decision: { ruleId: 'deny.deploy' } });
    expect(JSON.stringify(await t.runtime.handlers['messages.list']({ conversationId: conversation.id }))).not.toContain(CANARY);
    expect(JSON.stringify(model.requests)).not.toContain(CANARY);
    expect(readFileSync(join(dataDir, 'policy.yaml'), 'utf8')).toBe(POLICY);
    expect(readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8')).not.toContain(CANARY);
  }, 60_000);

  it('broken, its errors reach neither the Policies page, the terminal nor the log with the value', async () => {
    const dataDir = tempDir();
    // An unknown key: the error names it.
    writeFileSync(join(dataDir, 'policy.yaml'), `version: 1\nrules:\n  - id: allow.deploy\n    effect: allow\n    reason: fine\n    ${CANARY}: true\n`);
    const said: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void said.push(args.map(String).join(' ')));
    try {
      const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'deploy.pass': CANARY }) });
      await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);
      const status = await t.runtime.handlers['policy.status']({});
      expect(status.error).toMatch(/policy\.yaml:3:5: at rules\.0 Unrecognized key/);
      expect(status.error).not.toContain(CANARY);
      expect((await t.runtime.handlers['policy.explain']({ tool: 'fs.read', arguments: { path: 'a' } })).policyError).not.toContain(CANARY);
      expect(said.join('\n')).toContain("policy.yaml:3:5");
      expect(said.join('\n')).not.toContain(CANARY);
      expect(readFileSync(join(dataDir, 'logs', 'portcullis.log'), 'utf8')).not.toContain(CANARY);
      // The audit chain records the error at start once the keychain was read, masked.
      const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
      const loaded = await until('the start\'s policy.loaded entry', () => db.prepare("SELECT data_json FROM audit_log WHERE kind = 'policy.loaded'").all() as Array<{ data_json: string }>, (rows) => rows.length > 0);
      db.close();
      expect(loaded[0]!.data_json).toContain('Unrecognized key');
      expect(loaded[0]!.data_json).not.toContain(CANARY);
    } finally {
      spy.mockRestore();
    }
  }, 60_000);

  it('portcullis secrets scrub leaves policy.yaml and mcp.json as written and says which line holds which secret', async () => {
    const dataDir = tempDir();
    openDatabase(join(dataDir, 'portcullis.db')).close();
    writeFileSync(join(dataDir, 'policy.yaml'), POLICY);
    const mcp = `{\n  "mcpServers": {\n    "deploy": { "url": "https://deploy.example/mcp?key=${encodeURIComponent(CANARY)}" }\n  }\n}\n`;
    writeFileSync(join(dataDir, 'mcp.json'), mcp);
    const lines: string[] = [];
    await secretsCommand({ values: { 'data-dir': dataDir }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ 'deploy.pass': CANARY }));
    const said = lines.join('\n');
    expect(said).toContain('policy.yaml line 5 holds the value of secret deploy.pass: it is yours, so it was left as it is');
    expect(said).toContain('policy.yaml line 9 holds the value of secret deploy.pass');
    expect(said).toContain('mcp.json line 3 holds the value of secret deploy.pass: replace it with secret:deploy.pass');
    expect(said).not.toContain(CANARY);
    expect(readFileSync(join(dataDir, 'policy.yaml'), 'utf8')).toBe(POLICY);
    expect(readFileSync(join(dataDir, 'mcp.json'), 'utf8')).toBe(mcp);

    lines.length = 0;
    await secretsCommand({ values: { 'data-dir': dataDir, json: true }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ 'deploy.pass': CANARY }));
    expect(JSON.parse(lines.join('\n')).files).toEqual([
      { file: 'policy.yaml', line: 5, secret: 'deploy.pass' },
      { file: 'policy.yaml', line: 9, secret: 'deploy.pass' },
      { file: 'mcp.json', line: 3, secret: 'deploy.pass' },
    ]);
  });
});
