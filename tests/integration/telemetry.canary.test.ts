import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { onTestFinished, describe, expect, it } from 'vitest';
import { FixedApprovalGate } from '../../src/core/approvals/approval-gate';
import { createRuntime } from '../../src/core/runtime/create-runtime';
import { createForkLauncher } from '../../src/core/sandbox/fork-launcher';
import { WorkerToolRunner } from '../../src/core/sandbox/worker-tool-runner';
import { builtSpanWriter, builtToolWorker } from '../helpers/paths';
import { startRecordingCollector } from '../helpers/recording-collector';
import { storedFiles } from '../helpers/stored-files';
import { StepScriptedModel as ScriptedModel } from '../helpers/step-scripted-model';
import { tempDir } from '../helpers/temp-dir';

// A secret the keychain knows (registered), and credentials that only a pattern can catch.
const KNOWN = 'canary-known-Zq8v3Kx9Lm2Pw7Rt';
const PATTERNED = {
  apiKey: 'sk-ant-api03-CANARYa1b2c3d4e5f6g7h8i9',
  jwt: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.Q0FOQVJZc2lnbmF0dXJlMTIz',
  bearer: 'CANARYbearer0token0x9y8z',
  privateKey: 'MIIEcanaryPRIVATEkeyBODYabcdef0123456789',
};
const ALL = [KNOWN, ...Object.values(PATTERNED)];
const PLANT = `known=${KNOWN} key=${PATTERNED.apiKey} jwt=${PATTERNED.jwt} auth: Bearer ${PATTERNED.bearer}\n-----BEGIN PRIVATE KEY-----\n${PATTERNED.privateKey}\n-----END PRIVATE KEY-----`;

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).map((name) => join(dir, name));
}

function leaks(bytes: Buffer): string[] {
  return ALL.filter((canary) => bytes.includes(Buffer.from(canary, 'utf8')));
}

describe('canary secrets never reach storage, logs or the collector in plaintext', () => {
  it('masks secrets planted in arguments, results, errors and model text', async () => {
    const dataDir = tempDir();
    const collector = await startRecordingCollector();
    onTestFinished(collector.close);
    const model = new ScriptedModel([
      // Model text and tool arguments carry the secrets.
      { text: `I will save this: ${PLANT}`, toolCalls: [{ name: 'fs.write', arguments: { path: 'notes.txt', content: PLANT } }] },
      // The result of reading the file back carries them; so does the error of reading a path named after one.
      { toolCalls: [{ name: 'fs.read', arguments: { path: 'notes.txt' } }, { name: 'fs.read', arguments: { path: `missing-${KNOWN}.txt` } }] },
      { text: `Done. The key was ${PATTERNED.apiKey} and ${KNOWN}.` },
    ]);
    const launcher = createForkLauncher(builtToolWorker);
    const runtime = createRuntime(
      { version: 'test', dataDir, workspace: join(dataDir, 'workspace'), otlpEndpoint: collector.endpoint },
      { createToolRunner: (ws) => new WorkerToolRunner(launcher, ws), model, approvalGate: new FixedApprovalGate('all'), spanWriterEntry: builtSpanWriter },
    );
    let disposed = false;
    onTestFinished(async () => {
      if (!disposed) await runtime.dispose();
    });
    runtime.redactor.register(KNOWN);
    const events: unknown[] = [];
    runtime.onDidEmit((event) => events.push(event));
    // Full capture is the worst case: arguments, results and text are all recorded on spans.
    await runtime.handlers['telemetry.configure']({ captureMode: 'full' });

    const conversation = await runtime.handlers['conversations.create']({});
    const result = await runtime.startTurn(conversation.id, `remember ${KNOWN}`).done;
    expect(result.error).toBeNull();
    // The secrets really were in play: in the real arguments, the real result and the real error.
    expect(result.toolCalls.map((c) => c.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(JSON.stringify(result.toolCalls[0]!.arguments)).toContain(KNOWN);
    expect(JSON.stringify(result.toolCalls[1]!.result)).toContain(PATTERNED.jwt);
    expect(result.toolCalls[2]!.error!.message).toContain(KNOWN);
    expect(readFileSync(join(dataDir, 'workspace', 'notes.txt'), 'utf8')).toBe(PLANT);

    await runtime.telemetry.flush();
    // Events to the renderer: masked, including a secret split across two stream deltas.
    expect(events.length).toBeGreaterThan(0);
    expect(leaks(Buffer.from(JSON.stringify(events)))).toEqual([]);
    const spans = await runtime.handlers['traces.spans']({ traceId: result.traceId, includeContent: true });
    expect(spans.some((s) => String(s.attributes['gen_ai.tool.call.arguments'] ?? '').includes('[REDACTED'))).toBe(true);
    const exported = await runtime.handlers['traces.export']({ traceId: result.traceId, includeContent: true });
    expect(leaks(Buffer.from(JSON.stringify(exported)))).toEqual([]);
    expect(leaks(Buffer.from(JSON.stringify(await runtime.handlers['messages.list']({ conversationId: conversation.id }))))).toEqual([]);

    // Both database files and their WALs while the runtime is live (the WALs hold the recent writes).
    const live = storedFiles(dataDir);
    expect(live.map((f) => basename(f))).toEqual(['portcullis.db', 'portcullis.db-wal', 'traces.db', 'traces.db-wal']);
    for (const file of live) expect(leaks(readFileSync(file)), file).toEqual([]);
    // The masked values really were stored: in the main file's WAL (tool calls) and in the spans' file.
    expect(readFileSync(`${runtime.paths.databaseFile}-wal`).includes(Buffer.from('[REDACTED'))).toBe(true);
    const traceBytes = Buffer.concat(live.slice(2).map((f) => readFileSync(f)));
    expect(traceBytes.includes(Buffer.from('[REDACTED'))).toBe(true);

    await runtime.dispose();
    disposed = true;
    for (const file of storedFiles(dataDir)) expect(leaks(readFileSync(file)), file).toEqual([]);

    const logs = filesUnder(join(dataDir, 'logs'));
    expect(logs.length).toBeGreaterThan(0);
    const logBytes = Buffer.concat(logs.map((f) => readFileSync(f)));
    expect(logBytes.toString()).toContain('step failed');
    expect(leaks(logBytes)).toEqual([]);

    expect(collector.requests.length).toBeGreaterThan(0);
    expect(collector.requests.every((r) => r.path === '/v1/traces' && r.contentType === 'application/json')).toBe(true);
    const otlpBytes = Buffer.concat(collector.requests.map((r) => r.body));
    expect(otlpBytes.toString()).toContain(result.traceId);
    expect(leaks(otlpBytes)).toEqual([]);
  });
});
