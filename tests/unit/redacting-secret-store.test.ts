import { describe, expect, it } from 'vitest';
import { Redactor } from '../../src/core/redaction/redactor';
import { RedactingSecretStore } from '../../src/core/secrets/redacting-secret-store';
import { MemorySecretStore } from '../helpers/memory-secret-store';

const ACCESS = 'at-Zq8v3Kx9Lm2Pw7Rt0';
const REFRESH = 'rt-Hq2w9Xc4Vb7Nm1Lk5';
const tokens = JSON.stringify({ access_token: ACCESS, token_type: 'Bearer', expires_in: 3600, refresh_token: REFRESH, scope: 'read' });

describe('the redacting secret store', () => {
  it('masks the tokens of an OAuth sign-in kept as JSON, on their own, as a server that says its bearer token back writes them', async () => {
    const redactor = new Redactor([]);
    const store = new RedactingSecretStore(new MemorySecretStore(), redactor);
    await store.set('mcp-oauth.remote.tokens', tokens);
    expect(redactor.redactText(`you sent ${ACCESS}, refresh with ${REFRESH}`)).toBe('you sent [REDACTED:secret], refresh with [REDACTED:secret]');
    // The token type and other fields are ordinary words.
    expect(redactor.redactText('Bearer read 3600')).toBe('Bearer read 3600');
  });

  it('does the same for token sets already in the keychain at start', async () => {
    const redactor = new Redactor([]);
    const store = new RedactingSecretStore(new MemorySecretStore({ 'mcp-oauth.remote.tokens': tokens, 'mcp.x.token': '{not json' }), redactor);
    await store.registerExisting();
    expect(redactor.redactText(ACCESS)).toBe('[REDACTED:secret]');
    expect(redactor.redactText('{not json')).toBe('[REDACTED:secret]');
  });
});
