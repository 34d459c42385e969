import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCredentialName } from '../../src/core/mcp/credential-names';
import { HIDDEN_VALUE } from '../../src/core/mcp/hidden-credentials';
import { McpConfigEditor } from '../../src/core/mcp/mcp-config-editor';
import { MemorySecretStore, writeMcpConfig } from '../helpers/mcp';
import { tempDir } from '../helpers/temp-dir';

describe('which env, header and option names hold a credential', () => {
  it.each([
    'GITHUB_PERSONAL_ACCESS_TOKEN', 'OPENAI_API_KEY', 'x-api-key', 'Authorization', 'SLACK_BOT_TOKEN',
    // The ones the older rule missed.
    'PGPASSWORD', 'PGPASS', 'MYSQL_PWD', 'AZURE_DEVOPS_PAT', 'GITLAB_PAT', 'DSN', 'SENTRY_DSN', 'AWS_SECRET_ACCESS_KEY',
    'GOOGLE_CLIENT_SECRET', 'STRIPE_KEY', 'ENCRYPTION_KEY', 'REDISCLI_AUTH', 'SESSION_COOKIE', 'SLACK_WEBHOOK_URL',
    'AZURE_STORAGE_CONNECTION_STRING', 'DB_PASSPHRASE', 'accessToken', 'clientSecret', 'api-key', 'token', 'password',
  ])('%s is a credential', (name) => expect(isCredentialName(name)).toBe(true));

  it.each([
    'LOG_LEVEL', 'PGUSER', 'PGHOST', 'PGPASSFILE', 'GITHUB_CLIENT_ID', 'AWS_ACCESS_KEY_ID', 'TOKEN_URL', 'AUTH_TYPE',
    'AUTHOR_NAME', 'TOKENIZERS_PARALLELISM', 'MAX_TOKENS', 'SSH_KEY_PATH', 'PUBLIC_KEY', 'DATABASE_URL', 'PWD',
    'GOOGLE_APPLICATION_CREDENTIALS_FILE', 'AUTH_ENABLED', 'TOKEN_LIMIT', 'KEYBOARD_LAYOUT', 'header', 'token-file',
  ])('%s is not', (name) => expect(isCredentialName(name)).toBe(false));
});

describe('saving mcp.json moves the newly known credential names to the keychain', () => {
  it('moves PGPASSWORD, *_PAT and *_DSN, and leaves PGUSER, MAX_TOKENS and a ${VAR} reference as they are', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'mcp.json');
    const env = { PGUSER: 'app', PGPASSWORD: 'canary-pg-1', AZURE_DEVOPS_PAT: 'canary-pat-2', SENTRY_DSN: 'canary-dsn-3', MAX_TOKENS: '4096', GITHUB_TOKEN: '${GITHUB_TOKEN}' };
    writeMcpConfig(dataDir, { db: { command: 'postgres-mcp', env } });
    const secrets = new MemorySecretStore();
    const editor = new McpConfigEditor({ file, secrets, onSaved: async () => undefined });

    const shown = JSON.parse(editor.read().text).mcpServers.db.env;
    expect(shown).toEqual({ ...env, PGPASSWORD: HIDDEN_VALUE, AZURE_DEVOPS_PAT: HIDDEN_VALUE, SENTRY_DSN: HIDDEN_VALUE });

    const saved = await editor.save(editor.read().text);
    expect(saved.movedToKeychain).toEqual(['mcp.db.PGPASSWORD', 'mcp.db.AZURE_DEVOPS_PAT', 'mcp.db.SENTRY_DSN']);
    expect(secrets.values.get('mcp.db.PGPASSWORD')).toBe('canary-pg-1');
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toMatch(/canary/);
    expect(JSON.parse(onDisk).mcpServers.db.env).toMatchObject({ PGUSER: 'app', MAX_TOKENS: '4096', GITHUB_TOKEN: '${GITHUB_TOKEN}', PGPASSWORD: 'secret:mcp.db.PGPASSWORD' });
  });
});
