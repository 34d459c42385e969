import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtToolWorker, cliBin, repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';
import { createSecurityHandlers } from '../../src/core/api/security-handlers';
import { KeyringSecretStore } from '../../src/core/secrets/keyring-secret-store';

const withKeyring = join(repoRoot, 'scripts', 'with-keyring.sh');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const hasSecretServiceTools = ['/usr/bin/dbus-run-session', '/usr/bin/gnome-keyring-daemon'].every((bin) => existsSync(bin));

/** Every file under `dir`, read as text: a secret written to a plain file would show up here. */
function allFileText(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    text += statSync(path).isDirectory() ? allFileText(path) : readFileSync(path).toString('latin1');
  }
  return text;
}

describe.runIf(hasSecretServiceTools)('secrets in a real Secret Service (gnome-keyring under dbus-run-session)', () => {
  it('round-trips through the keychain, and the canary never reaches the API output, traces, events, model input or logs', () => {
    const canary = `CANARY-${randomBytes(12).toString('hex')}`;
    const result = spawnSync(withKeyring, [tsx, join(repoRoot, 'tests/fixtures/keychain/round-trip.ts')], {
      env: { ...process.env, CANARY: canary, TOOL_WORKER: builtToolWorker },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!);
    expect(report.secretService).toBe(true);
    expect(report.store).toEqual({
      first: true,
      afterReplace: true,
      unicode: true,
      listed: ['mcp.github:token', 'provider.openai'],
      deleted: true,
      deletedAgain: false,
      afterDelete: null,
      listedAfter: ['mcp.github:token'],
      badName: 'VALIDATION_FAILED',
      persisted: true,
    });
    const { runtime } = report;
    expect(runtime.set).toEqual({ ok: true, output: { name: 'provider.anthropic', set: true } });
    expect(runtime.list).toEqual({ ok: true, output: { available: true, problem: null, keyringChanged: false, secrets: [{ name: 'provider.anthropic', set: true }] } });
    expect(runtime.stillSet).toBe(true);
    expect(runtime.spans.output.length).toBeGreaterThan(0);
    expect(runtime.modelInputs.length).toBeGreaterThan(0);
    expect(runtime.listAfter.output.secrets).toEqual([]);
    // The whole report (API answers, spans with their attributes, messages, events, every model request) and
    // everything the process logged: no trace of the canary.
    expect(result.stdout).not.toContain(canary);
    expect(result.stderr).not.toContain(canary);
  }, 90_000);

  it('the CLI stores a piped secret in the keychain and lists only its name', () => {
    const canary = `CANARY-${randomBytes(12).toString('hex')}`;
    const dataDir = tempDir();
    const script = `printf %s "$CANARY" | node "${cliBin}" secrets set provider.openai && node "${cliBin}" secrets list --json && secret-tool lookup service portcullis username provider.openai`;
    const result = spawnSync(withKeyring, ['sh', '-c', script], { env: { ...process.env, CANARY: canary }, encoding: 'utf8', timeout: 60_000 });
    expect(result.status, result.stderr).toBe(0);
    const [setLine, listLine, lookedUp] = result.stdout.trim().split('\n');
    expect(setLine).toBe('provider.openai is set.');
    expect(JSON.parse(listLine!)).toEqual([{ name: 'provider.openai', set: true }]);
    // Read back with libsecret's own tool: the value really is in the Secret Service.
    expect(lookedUp).toBe(canary);
    expect(allFileText(dataDir)).not.toContain(canary);
  }, 60_000);
});

describe('without a Secret Service', () => {
  it('says no keychain is available and how to fix it, and writes no secret anywhere', () => {
    const canary = `CANARY-${randomBytes(12).toString('hex')}`;
    const home = tempDir();
    const result = spawnSync(process.execPath, [cliBin, 'secrets', 'set', 'provider.openai'], {
      input: canary,
      encoding: 'utf8',
      env: { ...process.env, HOME: home, XDG_RUNTIME_DIR: home, XDG_DATA_HOME: join(home, 'data'), DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(home, 'no-bus')}`, PORTCULLIS_SECRET_SERVICE: '' },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/No OS keychain is available/);
    expect(result.stderr).toMatch(/gnome-keyring/);
    expect(result.stderr).toMatch(/never written to a plain file/);
    expect(result.stderr + result.stdout).not.toContain(canary);
    expect(allFileText(home)).not.toContain(canary);
  });

  it('Settings reports the keychain as unavailable (with the fix) instead of failing, and refuses to set', async () => {
    const saved = process.env['DBUS_SESSION_BUS_ADDRESS'];
    process.env['DBUS_SESSION_BUS_ADDRESS'] = `unix:path=${join(tempDir(), 'no-bus')}`;
    try {
      const handlers = createSecurityHandlers({ secrets: new KeyringSecretStore('portcullis-test'), apiKeys: null as never, localApi: null as never });
      const overview = await handlers['secrets.list']({});
      expect(overview).toMatchObject({ available: false, secrets: [] });
      expect(overview.problem).toMatch(/No OS keychain is available .*dbus-run-session/s);
      await expect(handlers['secrets.set']({ name: 'provider.openai', value: 'CANARY-x' })).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
      const none = createSecurityHandlers({ secrets: null, apiKeys: null as never, localApi: null as never });
      expect(await none['secrets.list']({})).toMatchObject({ available: false });
    } finally {
      if (saved === undefined) delete process.env['DBUS_SESSION_BUS_ADDRESS'];
      else process.env['DBUS_SESSION_BUS_ADDRESS'] = saved;
    }
  });
});
