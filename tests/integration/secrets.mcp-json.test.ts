import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';

/** An mcp.json written by hand, with a keychain secret's value where no credential name or shape gives it away. */
const FILE = {
  note: `kept from the deploy pass ${CANARY}`,
  mcpServers: {
    remote: { url: `https://deploy.example/mcp?k=${CANARY}`, enabled: false },
    local: { command: 'portcullis-test-absent-server', args: ['--describe', `deploy ${CANARY}`], enabled: false },
  },
};

describe('an mcp.json holding the value of a keychain secret', () => {
  it('is shown masked in the editor, wherever it stands, and saving what it showed keeps the file\'s value', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'mcp.json');
    writeFileSync(file, `${JSON.stringify(FILE, null, 2)}\n`);
    const t = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'deploy.pass': CANARY }) });
    await until('the keychain read', () => t.runtime.redactor.redactText(CANARY), (text) => text === MASK);

    const shown = await t.runtime.handlers['tools.mcpConfig']({});
    expect(shown.text).not.toContain(CANARY);
    const parsed = JSON.parse(shown.text) as typeof FILE;
    expect(parsed.note).toBe(`kept from the deploy pass ${MASK}`);
    expect(parsed.mcpServers.remote.url).toBe(`https://deploy.example/mcp?k=${MASK}`);
    expect(parsed.mcpServers.local.args).toEqual(['--describe', `deploy ${MASK}`]);

    // The person turns a server on and saves the rest as shown: the file keeps its values, not the masks.
    parsed.mcpServers.remote.enabled = true;
    expect(await t.runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(parsed) })).toMatchObject({ saved: true });
    const saved = JSON.parse(readFileSync(file, 'utf8')) as typeof FILE;
    expect(saved).toEqual({ ...FILE, mcpServers: { ...FILE.mcpServers, remote: { ...FILE.mcpServers.remote, enabled: true } } });

    // A masked value the file does not hold at that place cannot be put back: refused, saying so.
    parsed.mcpServers.local.args = [`deploy ${MASK}`, '--describe'];
    const refused = await t.runtime.handlers['tools.saveMcpConfig']({ text: JSON.stringify(parsed) });
    expect(refused).toMatchObject({ saved: false, problems: [expect.stringMatching(/^Not saved: local\.args\[0\] shows a secret's value masked/)] });
    expect(readFileSync(file, 'utf8')).not.toContain(MASK);
  }, 60_000);
});
