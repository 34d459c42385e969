import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { describe, expect, it } from 'vitest';
import { loadJwtConfig } from '../../src/core/auth/jwt-config';
import { JwtVerifier } from '../../src/core/auth/jwt-verifier';
import type { SecretStore } from '../../src/core/secrets/secret-store';
import { tempDir } from '../helpers/temp-dir';

const memorySecrets = (values: Record<string, string>): SecretStore => ({
  get: async (name) => values[name],
  set: async () => {},
  delete: async () => false,
  list: async () => Object.keys(values),
});

function writeConfig(config: unknown): string {
  const dir = tempDir();
  writeFileSync(join(dir, 'jwt.json'), typeof config === 'string' ? config : JSON.stringify(config));
  return dir;
}

describe('jwt.json', () => {
  it('is optional: no file, no JWT access', () => {
    expect(loadJwtConfig(tempDir())).toBeNull();
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no keys', { issuer: 'i', audience: 'a', keys: [] }, /keys/],
    ['a shared secret inline', { issuer: 'i', audience: 'a', keys: [{ kid: 'k', alg: 'HS256', secret: 'hunter2' }] }, /not a valid JWT configuration/],
    ['a private JWK', { issuer: 'i', audience: 'a', keys: [{ kid: 'k', alg: 'ES256', jwk: { kty: 'EC', d: 'x' } }] }, /public key/],
    ['an oct JWK', { issuer: 'i', audience: 'a', keys: [{ kid: 'k', alg: 'RS256', jwk: { kty: 'oct', k: 'x' } }] }, /public key/],
    ['alg none', { issuer: 'i', audience: 'a', keys: [{ kid: 'k', alg: 'none', publicKeyPem: '-----BEGIN PUBLIC KEY-----' }] }, /not a valid JWT configuration/],
    ['duplicate kids', { issuer: 'i', audience: 'a', keys: [{ kid: 'k', alg: 'HS256', keychainSecret: 'a' }, { kid: 'k', alg: 'HS256', keychainSecret: 'b' }] }, /own "kid"/],
  ])('refuses %s with the reason', (_name, config, message) => {
    expect(() => loadJwtConfig(writeConfig(config))).toThrow(message);
  });

  it('not JSON: says where the mistake is, not JSON.parse\'s quote of the file (line breaks and all)', () => {
    const dir = writeConfig('{\n  "issuer": "i",\n  "audience": "a",\n}\n');
    expect(() => loadJwtConfig(dir)).toThrow(`${join(dir, 'jwt.json')} is not valid JSON (line 3 ends its last entry with a comma before the }, which JSON does not allow: remove it). Fix or remove it to start Portcullis.`);
    expect(() => loadJwtConfig(writeConfig('nope\n'))).toThrow(/is not valid JSON \(it holds an unexpected character\)\. Fix/);
  });

  it('HS256 takes its secret from the keychain only, and pins the algorithm', async () => {
    const secret = 's'.repeat(40);
    const config = loadJwtConfig(writeConfig({ issuer: 'iss', audience: 'aud', keys: [{ kid: 'h1', alg: 'HS256', keychainSecret: 'jwt.h1' }] }))!;
    await expect(JwtVerifier.create(config, memorySecrets({}))).rejects.toThrow(/keychain secret "jwt.h1"/);
    const verifier = await JwtVerifier.create(config, memorySecrets({ 'jwt.h1': secret }));
    const token = await new SignJWT({ scope: 'chat traces:read bogus' }).setProtectedHeader({ alg: 'HS256', kid: 'h1' }).setIssuer('iss').setAudience('aud').setSubject('me').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    expect(await verifier.check(token)).toEqual({ ok: true, principal: { kind: 'jwt', id: 'jwt:me', scopes: ['chat', 'traces:read'], expiresAt: expect.any(Number) } });
    const hs384 = await new SignJWT({}).setProtectedHeader({ alg: 'HS384', kid: 'h1' }).setIssuer('iss').setAudience('aud').setSubject('me').setExpirationTime('5m').sign(new TextEncoder().encode(secret));
    expect(await verifier.check(hs384)).toMatchObject({ ok: false });
  });

  it('accepts a public JWK and rejects a token signed by another key', async () => {
    const pair = await generateKeyPair('EdDSA');
    const config = loadJwtConfig(writeConfig({ issuer: 'iss', audience: 'aud', keys: [{ kid: 'ed', alg: 'EdDSA', jwk: await exportJWK(pair.publicKey) }] }))!;
    const verifier = await JwtVerifier.create(config, null);
    const sign = (key: CryptoKey) => new SignJWT({ scopes: ['approve'] }).setProtectedHeader({ alg: 'EdDSA', kid: 'ed' }).setIssuer('iss').setAudience('aud').setSubject('bot').setExpirationTime('5m').sign(key);
    expect(await verifier.check(await sign(pair.privateKey))).toMatchObject({ ok: true, principal: { scopes: ['approve'] } });
    expect(await verifier.check(await sign((await generateKeyPair('EdDSA')).privateKey))).toEqual({ ok: false, reason: 'jwt-jws_signature_verification_failed' });
  });
});
