import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretsCommand } from '../../src/cli/commands/secrets';
import { ScriptedModel } from '../helpers/scripted-model';
import { chaosServer, MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';

const CANARY = 'zqcanary7x4k9m2p';
const MASK = '[REDACTED:secret]';

interface PinFile {
  pins: Record<string, { hash: string; description: string }>;
}

const pinsOf = (dataDir: string): PinFile => JSON.parse(readFileSync(join(dataDir, 'tool-pins.json'), 'utf8')) as PinFile;

describe('an MCP tool\'s definition holding a value stored later as a secret', () => {
  it('is masked in tool-pins.json (its hash kept, so the tool is not held back), on the Tools & servers page and in what the model is offered', async () => {
    const dataDir = tempDir();
    // The server's echo tool describes itself with the value: handed to it before it was a secret, and not as one.
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--describe', `Echo for the deploy pass ${CANARY}.`] } });
    const model = new ScriptedModel([{ text: 'Hi.' }, { text: 'Hi again.' }]);
    const t = startTestRuntime({ dataDir, model, secretStore: new MemorySecretStore() });
    await t.runtime.mcp.settled();
    const pinned = pinsOf(dataDir).pins['chaos.echo']!;
    expect(pinned.description).toContain(CANARY);

    await t.runtime.handlers['secrets.set']({ name: 'deploy.pass', value: CANARY });
    await t.runtime.secretScrubs.settled();

    // The file: its words masked, its hash as it was.
    const scrubbed = pinsOf(dataDir).pins['chaos.echo']!;
    expect(readFileSync(join(dataDir, 'tool-pins.json'), 'utf8')).not.toContain(CANARY);
    expect(readFileSync(join(dataDir, 'tool-pins.json.last-good'), 'utf8')).not.toContain(CANARY); // its copy for a damaged file
    expect(scrubbed).toMatchObject({ hash: pinned.hash, description: `Echo for the deploy pass ${MASK}.` });
    // The page: the tool is still offered (not held back as changed), its description masked.
    const catalog = await t.runtime.handlers['tools.catalog']({});
    expect(JSON.stringify(catalog)).not.toContain(CANARY);
    expect(catalog.tools.find((tool) => tool.name === 'chaos.echo')).toMatchObject({ pinState: 'pinned', description: `Echo for the deploy pass ${MASK}.` });
    // The model.
    const conversation = await t.runtime.handlers['conversations.create']({});
    await t.runtime.startTurn(conversation.id, 'hello').done;
    expect(model.requests.at(-1)!.tools.some((tool) => tool.name === 'chaos.echo')).toBe(true);
    expect(JSON.stringify(model.requests.at(-1))).not.toContain(CANARY);

    // A restart: the server offers the same definition; it matches its pin and is offered, not held back.
    await t.runtime.dispose();
    const again = startTestRuntime({ dataDir, secretStore: new MemorySecretStore({ 'deploy.pass': CANARY }) });
    await again.runtime.mcp.settled();
    expect((await again.runtime.handlers['tools.catalog']({})).tools.find((tool) => tool.name === 'chaos.echo')).toMatchObject({ pinState: 'pinned' });
  }, 60_000);

  it('portcullis secrets scrub masks tool-pins.json and says so', async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { chaos: { command: process.execPath, args: [chaosServer, '--describe', `Echo for ${CANARY}.`] } });
    const t = startTestRuntime({ dataDir });
    await t.runtime.mcp.settled();
    await t.runtime.dispose();
    const lines: string[] = [];
    await secretsCommand({ values: { 'data-dir': dataDir }, positionals: ['scrub'], out: (line) => lines.push(line) }, new MemorySecretStore({ 'deploy.pass': CANARY }));
    expect(lines.join('\n')).toMatch(/, tool-pins\.json, in \d+ ms\.$/m);
    expect(lines.join('\n')).not.toContain(CANARY);
    expect(readFileSync(join(dataDir, 'tool-pins.json'), 'utf8')).not.toContain(CANARY);
    expect(readFileSync(join(dataDir, 'tool-pins.json.last-good'), 'utf8')).not.toContain(CANARY);
  }, 60_000);
});
