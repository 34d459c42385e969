import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writtenCredentialValues } from '../../src/core/mcp/argument-credentials';
import { McpConfigEditor } from '../../src/core/mcp/mcp-config-editor';
import { hasSecretReference, hiddenTexts, redact, redactDeep, resolveSecretReferences, secretNamesIn } from '../../src/core/mcp/secret-references';
import { KeychainUnavailableError } from '../../src/core/secrets/keychain-unavailable';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { MemorySecretStore } from '../helpers/memory-secret-store';
import { tempDir } from '../helpers/temp-dir';

describe('secret:NAME references in a server\'s config', () => {
  const store = new MemorySecretStore({ 'mcp.pg.password': 'pw-from-keychain', 'github.token': 'ghp_1', x: 'X' });

  it('a URL whose user is called "secret" is a URL, not a reference to its password', async () => {
    const values = { DATABASE_URL: 'postgres://secret:pw@h/db', ARG: 'mysql://secret:hunter2@db.example/app' };
    expect(await resolveSecretReferences(values, store, 'Server pg')).toEqual({ resolved: values, secrets: [] });
    expect(hasSecretReference('postgres://secret:pw@h')).toBe(false);
    expect(secretNamesIn({ env: values })).toEqual(new Set());
    // As written out, it is a credential to hide from what the server says.
    expect(writtenCredentialValues({ DATABASE_DSN: 'postgres://secret:pw@h/db' })).toEqual(['postgres://secret:pw@h/db']);
  });

  it('a reference stands at the start of a value or after a space, =, : (a URL\'s password), a quote or a comma', async () => {
    const { resolved, secrets } = await resolveSecretReferences(
      {
        env: 'secret:github.token',
        header: 'Bearer secret:github.token',
        option: '--api-key=secret:x',
        url: 'postgresql://me:secret:mcp.pg.password@host/db',
        user: 'postgres://secret:secret:mcp.pg.password@h/db',
      },
      store,
      'Server pg',
    );
    expect(resolved).toEqual({
      env: 'ghp_1',
      header: 'Bearer ghp_1',
      option: '--api-key=X',
      url: 'postgresql://me:pw-from-keychain@host/db',
      user: 'postgres://secret:pw-from-keychain@h/db',
    });
    expect(secrets).toEqual(['ghp_1', 'ghp_1', 'X', 'pw-from-keychain', 'pw-from-keychain']);
    expect(secretNamesIn({ env: { A: 'secret:github.token' }, args: ['--x', 'a,secret:x'] })).toEqual(new Set(['github.token', 'x']));
  });

  it('"secret:" inside a word is not a reference, and a missing secret is still named', async () => {
    expect(hasSecretReference('topsecret:x')).toBe(false);
    await expect(resolveSecretReferences({ A: 'secret:nope' }, store, 'Server pg')).rejects.toThrow('Server pg needs the secret "nope" for A');
  });
});

describe('a server whose secret cannot be read for want of a keychain', () => {
  it('is told which secret and which value need it, then why the keychain cannot be read and how to get one', async () => {
    const noKeychain: SecretStore = {
      get: async () => { throw new KeychainUnavailableError('Platform failure: no D-Bus session'); },
      set: async () => undefined,
      delete: async () => false,
      list: async () => [],
    };
    const failure = resolveSecretReferences({ MEMORY_API_TOKEN: 'secret:gw.memtoken' }, noKeychain, 'The memory server');
    await expect(failure).rejects.toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' });
    await expect(failure).rejects.toThrow(/^The memory server needs the secret "gw\.memtoken" for MEMORY_API_TOKEN, but the keychain cannot be read: No OS keychain is available \(Platform failure: no D-Bus session\)/);
  });
});

describe('saving a pasted config with such a URL', () => {
  it('moves its password to the keychain as any connection string\'s, in env and in args', async () => {
    const file = join(tempDir(), 'mcp.json');
    writeFileSync(file, '{"mcpServers":{}}');
    const secrets = new MemorySecretStore();
    const editor = new McpConfigEditor({ file, onSaved: async () => undefined, secrets });
    const pasted = { mcpServers: { pg: { command: 'pg-mcp', args: ['postgres://secret:pw-arg@h/db'], env: { DATABASE_URL: 'postgres://secret:pw-env@h/db' } } } };
    const saved = await editor.save(JSON.stringify(pasted));
    expect(saved).toMatchObject({ saved: true, movedToKeychain: ['mcp.pg.DATABASE_URL', 'mcp.pg.password'] });
    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as typeof pasted;
    expect(onDisk.mcpServers.pg).toMatchObject({ args: ['postgres://secret:secret:mcp.pg.password@h/db'], env: { DATABASE_URL: 'secret:mcp.pg.DATABASE_URL' } });
    expect(secrets.values.get('mcp.pg.password')).toBe('pw-arg');
  });
});

describe('hiding a server\'s secrets in what it sends back', () => {
  it('hides each value and a header\'s credential alone, worked out once for the server (nothing under 4 characters)', () => {
    const hidden = hiddenTexts(['Bearer ghp_abcdefgh1234', 'pw', 'hunter22']);
    expect(hidden).toEqual(['Bearer ghp_abcdefgh1234', 'ghp_abcdefgh1234', 'hunter22']);
    expect(redact('auth: Bearer ghp_abcdefgh1234; token ghp_abcdefgh1234; pw hunter22', hidden)).toBe('auth: [redacted]; token [redacted]; pw [redacted]');
    expect(redactDeep({ content: [{ type: 'text', text: 'hunter22' }], hunter22: 1 }, hidden)).toEqual({ content: [{ type: 'text', text: '[redacted]' }], '[redacted]': 1 });
  });
});
