import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { openDatabase } from '../../src/core/storage/database';
import { scrubDataFolder } from '../../src/core/storage/scrub/scrub-data-folder';
import { ConversationStore } from '../../src/core/storage/stores/conversation-store';
import { MessageStore } from '../../src/core/storage/stores/message-store';
import { SpanStore } from '../../src/core/storage/stores/span-store';
import { openTracesConnection } from '../../src/core/storage/traces/open-traces-database';
import { bundleWriter } from '../crash/crash-harness';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p';

/** 2,000 messages in 20 conversations, one in ten holding the canary; as many spans, one in ten holding it too. */
function plant(dataDir: string): void {
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  const traces = openTracesConnection(join(dataDir, 'traces.db'));
  const conversations = new ConversationStore(db);
  const messages = new MessageStore(db);
  const spans = new SpanStore(traces);
  for (let c = 0; c < 20; c++) {
    conversations.create({ id: `plant-${c}`, title: `plant ${c}`, createdAt: c, updatedAt: c });
    for (let i = 0; i < 100; i++) {
      messages.append({ id: `plant-${c}-${i}`, conversationId: `plant-${c}`, turnId: 't', role: 'user', content: `words ${i}${i % 10 === 0 ? ` token ${CANARY}` : ''}`, traceId: null, createdAt: i });
    }
    spans.insert(Array.from({ length: 100 }, (_, i) => ({
      traceId: `${c}`.padStart(32, '0'), spanId: `${c}x${i}`.padEnd(16, '0'), parentSpanId: null, name: 'execute_tool', kind: 'tool' as const,
      startTime: i, endTime: i + 1, status: 'ok' as const, statusMessage: null, attributes: { note: i % 10 === 0 ? `said ${CANARY}` : 'nothing' },
    })));
  }
  traces.close();
  db.close();
}

describe('scrubbing beside another process writing the same files', () => {
  it('masks every row that held the value while the other process goes on writing, and both files stay whole', async () => {
    const dataDir = tempDir();
    plant(dataDir);
    // The crash harness's writer: conversations, messages, approvals, memories and spans through the real stores, at full speed.
    const writer = spawn(process.execPath, [bundleWriter(dataDir), join(dataDir, 'portcullis.db'), join(dataDir, 'traces.db'), '7'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_PATH: join(__dirname, '..', '..', 'node_modules') },
    });
    let acks = 0;
    let stderr = '';
    writer.stdout.on('data', (chunk: Buffer) => (acks += chunk.toString().split('\n').filter((line) => line.startsWith('ack ')).length));
    writer.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    onTestFinished(() => void writer.kill('SIGKILL'));
    await until('the writer writing', () => acks, (n) => n > 50);

    const watch = openDatabase(join(dataDir, 'portcullis.db'));
    const written = (): number => watch.prepare("SELECT count(*) FROM messages WHERE id LIKE 's7-%'").pluck().get() as number;
    const before = written();
    const report = await scrubDataFolder(dataDir, [CANARY]);
    const during = written() - before;
    watch.close();
    const acksAfter = acks;
    await until('the writer going on', () => acks, (n) => n > acksAfter + 20);
    writer.kill('SIGKILL');
    await new Promise((resolve) => writer.once('exit', resolve));

    expect(stderr).toBe('');
    expect(report).toMatchObject({ rows: { messages: 200, spans: 200 } });
    expect(during).toBeGreaterThan(0);
    const db = openDatabase(join(dataDir, 'portcullis.db'));
    const traces = openTracesConnection(join(dataDir, 'traces.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(traces.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.prepare('SELECT count(*) FROM messages WHERE instr(content, ?) > 0').pluck().get(CANARY)).toBe(0);
      expect(db.prepare("SELECT count(*) FROM messages WHERE content LIKE '%[REDACTED:secret]%'").pluck().get()).toBe(200);
      expect(traces.prepare('SELECT count(*) FROM spans WHERE instr(attributes_json, ?) > 0').pluck().get(CANARY)).toBe(0);
      // The writer's rows are all there, after ours.
      expect(db.prepare("SELECT count(*) FROM messages WHERE id LIKE 's7-%'").pluck().get()).toBeGreaterThan(0);
    } finally {
      traces.close();
      db.close();
    }
  }, 60_000);
});
