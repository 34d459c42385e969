import { describe, expect, expectTypeOf, it } from 'vitest';
import { join } from 'node:path';
import { ApiKeyService } from '../../src/core/auth/api-keys';
import { AuditLog } from '../../src/core/audit/audit-log';
import { Authenticator, type CredentialSource } from '../../src/core/auth/authenticator';
import { openDatabase } from '../../src/core/storage/database';
import { ApiKeyStore } from '../../src/core/storage/stores/api-key-store';
import { tempDir } from '../helpers/temp-dir';

describe('where the authenticator takes a credential from', () => {
  it('is a bearer header or the page\'s ?token= only: no cookie is a credential any more (98c1934)', async () => {
    expectTypeOf<CredentialSource>().toEqualTypeOf<'bearer' | 'query'>();
    const db = openDatabase(join(tempDir(), 'portcullis.db'));
    const keys = new ApiKeyService(new ApiKeyStore(db), { now: () => 1_000_000 }, new AuditLog(db));
    const session = 's'.repeat(43);
    const auth = new Authenticator({ sessionToken: session, apiKeys: keys, jwt: null });
    expect(await auth.authenticate({ source: 'query', value: session })).toMatchObject({ ok: true });
    const { key } = keys.create({ name: 'k', scopes: ['chat'] });
    expect(await auth.authenticate({ source: 'query', value: key })).toEqual({ ok: false, reason: 'wrong-session-token-query' });
    expect(await auth.authenticate({ source: 'bearer', value: key })).toMatchObject({ ok: true });
    db.close();
  });
});
