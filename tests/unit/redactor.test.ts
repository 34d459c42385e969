import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED_SECRET, Redactor } from '../../src/core/redaction/redactor';

describe('Redactor', () => {
  it('replaces registered secrets exactly, and stops after unregister', () => {
    const r = new Redactor();
    r.register('hunter2-very-secret');
    expect(r.redactText('pw is hunter2-very-secret!')).toBe(`pw is ${REDACTED_SECRET}!`);
    r.unregister('hunter2-very-secret');
    expect(r.redactText('pw is hunter2-very-secret!')).toBe('pw is hunter2-very-secret!');
  });

  it('masks a secret however it is embedded: inside JSON (escaped), in keys, in nested values', () => {
    const r = new Redactor();
    const secret = 'tricky"quote\\slash-123';
    r.register(secret);
    expect(JSON.stringify(r.redactValue({ a: [{ b: `x${secret}y` }], [secret]: 1 }))).not.toContain('quote');
    expect(r.redactText(JSON.stringify({ v: secret }))).toBe(`{"v":"${REDACTED_SECRET}"}`);
  });

  it('masks common credential shapes without registration', () => {
    const r = new Redactor();
    const cases = [
      'sk-ant-api03-abcdefghijklmnopqrstu',
      'sk-proj-ABCDEFGHIJKLMNOPQRSTUV12',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'AKIAIOSFODNN7EXAMPLE',
      'xoxb-1234567890-abcdefghij',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghijklmnop',
      'AIzaSyA1234567890abcdefghijklmnopqrstuv',
      'glpat-abcdefghijklmnopqrst',
    ];
    for (const credential of cases) expect(r.redactText(`use ${credential} now`), credential).not.toContain(credential);
    expect(r.redactText('Authorization: Bearer abc.def-ghi_jkl')).toBe('Authorization: Bearer [REDACTED:token]');
    expect(r.redactText('{"api_key": "q1w2e3r4t5y6"}')).toBe('{"api_key": "[REDACTED]"}');
    expect(r.redactText('password=correcthorse')).toBe('password=[REDACTED]');
    // A connection string an MCP server prints (postgres, redis): the password goes, who and where stay.
    expect(r.redactText('connecting to postgres://app:s3cr3t-pw@db.internal:5432/notes')).toBe('connecting to postgres://app:[REDACTED]@db.internal:5432/notes');
    expect(r.redactText('redis://:hunter22@localhost:6379')).toBe('redis://:[REDACTED]@localhost:6379');
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----';
    expect(r.redactText(`key:\n${pem}\nend`)).toBe('key:\n[REDACTED:private-key]\nend');
  });

  it('leaves ordinary text alone', () => {
    const r = new Redactor();
    for (const text of ['list the files in src/', 'Write 2 characters to hello.txt', 'The token count was 12.', 'skip-this-step', 'see https://example.com:8443/a@b and mailto:me@example.com']) {
      expect(r.redactText(text)).toBe(text);
    }
  });

  it('a registered secret never survives, whatever text surrounds it', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string({ minLength: 8, maxLength: 40 }), (before, after, secret) => {
        const r = new Redactor();
        r.register(secret);
        return !r.redactText(`${before}${secret}${after}`).includes(secret);
      }),
      { numRuns: 300 },
    );
  });

  it('masks a secret a server wrote encoded: base64 at any offset (a Basic auth header), URL-safe base64, percent-encoded', () => {
    const secret = 'tok/en+canary?7f3a=&x';
    const r = new Redactor();
    r.register(secret);
    for (const prefix of ['', 'u:', 'us:', 'user:']) {
      const header = `Authorization: Basic ${Buffer.from(`${prefix}${secret}`).toString('base64')}`;
      const masked = r.redactText(header);
      expect(masked, prefix).toContain(REDACTED_SECRET);
      // What is left decodes to nothing that holds the secret's middle.
      expect(Buffer.from(masked.replace(/^Authorization: Basic |\[REDACTED:secret\]/g, ''), 'base64').toString('latin1')).not.toContain('canary');
      expect(r.redactText(`blob=${Buffer.from(`${prefix}${secret}!`).toString('base64url')}`), prefix).toContain(REDACTED_SECRET);
    }
    expect(r.redactText(`https://api.example/?key=${encodeURIComponent(secret)}`)).toBe(`https://api.example/?key=${REDACTED_SECRET}`);
  });

  it("masks an Authorization header secret's token alone too: a server echoes the token without its scheme", () => {
    const r = new Redactor();
    r.register('Bearer gwcanary-9f3b2c7e51');
    expect(r.redactText('your key is gwcanary-9f3b2c7e51, Bearer gwcanary-9f3b2c7e51')).toBe(`your key is ${REDACTED_SECRET}, ${REDACTED_SECRET}`);
    expect(r.redactText(`b64 ${Buffer.from('gwcanary-9f3b2c7e51').toString('base64')}`)).toMatch(/^b64 \[REDACTED:secret\]/);
    // A short word after a scheme is not masked everywhere it occurs.
    r.register('Token abc');
    expect(r.redactText('an abc here')).toBe('an abc here');
  });

  it('an encoded secret never survives, whatever bytes surround it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 8 }), fc.uint8Array({ maxLength: 8 }), fc.string({ minLength: 12, maxLength: 40 }), (before, after, secret) => {
        const r = new Redactor();
        r.register(secret);
        const encoded = Buffer.concat([before, Buffer.from(secret), after]).toString('base64');
        const masked = r.redactText(encoded);
        // Whatever is left of the base64 text is shorter than the secret's encoding by most of it.
        return masked !== encoded && masked.replace(REDACTED_SECRET, '').length <= encoded.length - (4 * Buffer.byteLength(secret)) / 3 + 4;
      }),
      { numRuns: 300 },
    );
  });

  it('knows the longest registered secret, in any written form, following registrations and removals', () => {
    const r = new Redactor();
    expect(r.longestSecretLength).toBe(0);
    r.register('short-secret');
    expect(r.longestSecretLength).toBe(16); // its base64, as a Basic auth header would carry it
    r.register('a "quoted" longer secret');
    expect(r.longestSecretLength).toBe(34); // percent-encoded, as it would appear in a URL
    r.unregister('a "quoted" longer secret');
    expect(r.longestSecretLength).toBe(16);
  });
});
