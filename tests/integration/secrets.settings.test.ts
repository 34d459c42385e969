import BetterSqlite3 from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';
// Addresses that take a key in them: nothing listens there, so nothing is sent.
const COLLECTOR = `http://127.0.0.1:9/otlp?key=${CANARY}`;
const MODEL_SERVER = `http://127.0.0.1:9/v1?api-key=${CANARY}`;

function storedSettings(dataDir: string): string {
  const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
  try {
    return JSON.stringify(db.prepare('SELECT key, value_json FROM settings').all());
  } finally {
    db.close();
  }
}

describe('settings holding the value of a secret stored later', () => {
  it('are kept as typed (Portcullis needs them) but shown masked, and a page saving back what it shows keeps them', async () => {
    const t = startTestRuntime({ secretStore: new MemorySecretStore() });
    await t.runtime.handlers['telemetry.configure']({ otlpEndpoint: COLLECTOR });
    await t.runtime.handlers['models.set']({ selection: { provider: 'openai-compatible', baseUrl: MODEL_SERVER, model: 'm', toolMode: 'native' } });

    await t.runtime.handlers['secrets.set']({ name: 'collector.key', value: CANARY });
    await t.runtime.secretScrubs.settled();

    const telemetry = await t.runtime.handlers['telemetry.status']({});
    expect(JSON.stringify(telemetry)).not.toContain(CANARY);
    expect(telemetry.otlp.endpoint).toBe(`http://127.0.0.1:9/otlp?key=${MASK}`);
    const models = await t.runtime.handlers['models.get']({});
    expect(JSON.stringify(models)).not.toContain(CANARY);
    expect(models.selection).toMatchObject({ baseUrl: `http://127.0.0.1:9/v1?api-key=${MASK}` });

    // Saving the pages as shown (a save sends the address back masked) keeps the address as typed.
    await t.runtime.handlers['telemetry.configure']({ otlpEndpoint: telemetry.otlp.endpoint });
    await t.runtime.handlers['models.set']({ selection: models.selection });
    const stored = storedSettings(t.dataDir);
    expect(stored).toContain(JSON.stringify(COLLECTOR).slice(1, -1));
    expect(stored).toContain(JSON.stringify(MODEL_SERVER).slice(1, -1));
    expect(stored).not.toContain(MASK);
    // A new address is a new address.
    await t.runtime.handlers['telemetry.configure']({ otlpEndpoint: 'http://127.0.0.1:9/otlp' });
    expect((await t.runtime.handlers['telemetry.status']({})).otlp.endpoint).toBe('http://127.0.0.1:9/otlp');
    expect(readFileSync(join(t.dataDir, 'logs', 'portcullis.log'), 'utf8')).not.toContain(CANARY);
  }, 60_000);

  it('portcullis secrets scrub names each setting that holds one, and leaves it', async () => {
    const t = startTestRuntime();
    await t.runtime.handlers['telemetry.configure']({ otlpEndpoint: COLLECTOR });
    await t.runtime.dispose();
    const lines: string[] = [];
    await secretsCommand({ values: { 'data-dir': t.dataDir }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ 'collector.key': CANARY }));
    expect(lines.join('\n')).toContain('The setting telemetry.otlpEndpoint holds the value of secret collector.key: Portcullis needs it as it is, so it was left as it is; the Settings page shows it masked.');
    expect(lines.join('\n')).not.toContain(CANARY);
    expect(storedSettings(t.dataDir)).toContain(CANARY);
  }, 60_000);
});
