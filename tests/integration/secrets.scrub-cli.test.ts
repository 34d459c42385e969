import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/core/redaction/secret-forms';
import { cliBin, repoRoot } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';

const withKeyring = join(repoRoot, 'scripts', 'with-keyring.sh');
const hasSecretServiceTools = ['/usr/bin/dbus-run-session', '/usr/bin/gnome-keyring-daemon'].every((bin) => existsSync(bin));
const CANARY = 'zqclicanary3h8v6n1';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

describe.runIf(hasSecretServiceTools)('portcullis secrets set and scrub, in a real Secret Service', () => {
  it('set masks the value it stores where the data folder had kept it; scrub then finds nothing left', async () => {
    const t = startTestRuntime();
    const conversation = await t.runtime.handlers['conversations.create']({ title: `deploy ${CANARY}` });
    expect((await t.runtime.startTurn(conversation.id, `the token is ${CANARY}`).done).error).toBeNull();
    await t.runtime.dispose();

    // One keyring for both commands: set (which scrubs the folder it names), then scrub (every keychain value).
    const script = `printf %s "$CANARY" | node "$CLI" secrets set gw.auth --data-dir "$DATA" && node "$CLI" secrets scrub --json --data-dir "$DATA"`;
    const run = spawnSync(withKeyring, ['sh', '-c', script], { env: { ...process.env, CANARY, CLI: cliBin, DATA: t.dataDir }, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const [said, counted, again] = [run.stdout.split('\n')[0], run.stdout.split('\n')[1], JSON.parse(run.stdout.trim().split('\n').at(-1)!)];
    expect(said).toBe('gw.auth is set.');
    expect(counted).toMatch(/^Scrubbed 1 secret value from stored data: 2 rows changed \(conversations 1, messages 1\)/);
    expect(again).toMatchObject({ secrets: 1, rows: { messages: 0, conversations: 0 }, walsEmptied: true });
    expect(run.stdout + run.stderr).not.toContain(CANARY);

    const forms = secretForms(CANARY).map((form) => Buffer.from(form));
    const holding = filesUnder(t.dataDir).filter((file) => forms.some((form) => readFileSync(file).includes(form)));
    expect(holding).toEqual([]);
  }, 90_000);
});
