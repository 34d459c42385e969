import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowedAddress } from '../../src/core/tools/address-guard';
import { HttpFetchRunner, type HttpFetchOptions } from '../../src/core/tools/http-fetch-tool';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/hello') return void res.writeHead(200, { 'content-type': 'text/plain' }).end('hello from 127.0.0.1');
    if (req.url === '/big') return void res.writeHead(200).end('b'.repeat(300_000));
    if (req.url === '/to-metadata') return void res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    if (req.url === '/to-localhost') return void res.writeHead(302, { location: `http://localhost:${port}/hello` }).end();
    if (req.url === '/to-hello') return void res.writeHead(301, { location: '/hello' }).end();
    if (req.url === '/loop') return void res.writeHead(302, { location: '/loop' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// The local server needs an explicit, test-only allowance for 127.0.0.1; the default stays closed.
const testOnly = (options: Partial<HttpFetchOptions> = {}) =>
  new HttpFetchRunner({ allowedDomains: ['127.0.0.1', 'localhost'], testAllowedAddresses: ['127.0.0.1'], ...options });
const fetchWith = (runner: HttpFetchRunner, url: string) => runner.run({ toolName: 'http.fetch', arguments: { url } });

describe('http.fetch and SSRF', () => {
  it('fetches from an allowed host and marks the result untrusted', async () => {
    const runner = testOnly();
    const outcome = await fetchWith(runner, `http://127.0.0.1:${port}/hello`);
    expect(outcome).toMatchObject({ ok: true, untrusted: true, result: { status: 200, contentType: 'text/plain', text: 'hello from 127.0.0.1', truncated: false } });
    expect(await fetchWith(runner, `http://127.0.0.1:${port}/to-hello`)).toMatchObject({ ok: true, result: { text: 'hello from 127.0.0.1' } });
    const big = await fetchWith(testOnly({ maxBytes: 1_000 }), `http://127.0.0.1:${port}/big`);
    expect(big).toMatchObject({ ok: true, result: { truncated: true } });
    await runner.dispose();
  });

  it('without the test allowance, loopback is refused as an IP literal and as a name that resolves to it', async () => {
    const runner = new HttpFetchRunner({ allowedDomains: ['127.0.0.1', 'localhost'] });
    const literal = await fetchWith(runner, `http://127.0.0.1:${port}/hello`);
    expect(literal).toMatchObject({ ok: false, error: { code: 'POLICY_DENIED', message: expect.stringMatching(/is an IP address/) } });
    const named = await fetchWith(runner, `http://localhost:${port}/hello`);
    expect(named.ok).toBe(false);
    expect((named as { error: { message: string } }).error.message).toMatch(/private or reserved address, so it was not contacted/);
    await runner.dispose();
  });

  it('refuses domains off the allowlist, other schemes, credentials, and redirects into private space', async () => {
    const runner = testOnly();
    const offList = await fetchWith(new HttpFetchRunner({ allowedDomains: ['example.org'] }), 'https://example.com/');
    expect(offList).toMatchObject({ ok: false, error: { message: expect.stringMatching(/example\.com .* is not on the http\.fetch allowlist/) } });
    expect(await fetchWith(runner, 'file:///etc/passwd')).toMatchObject({ ok: false, error: { message: expect.stringMatching(/file: URLs/) } });
    expect(await fetchWith(runner, `http://user:pw@127.0.0.1:${port}/`)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/credentials/) } });
    expect(await fetchWith(runner, `http://[::1]:${port}/`)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/IP address/) } });
    const metadata = await fetchWith(runner, `http://127.0.0.1:${port}/to-metadata`);
    expect(metadata).toMatchObject({ ok: false, error: { message: expect.stringMatching(/169\.254\.169\.254 \(from a redirect from 127\.0\.0\.1:\d+\) is an IP address/) } });
    const closed = new HttpFetchRunner({ allowedDomains: ['127.0.0.1', 'localhost'], testAllowedAddresses: [] });
    const toLocalhost = await fetchWith(closed, `http://localhost:${port}/to-localhost`);
    expect(toLocalhost).toMatchObject({ ok: false, error: { message: expect.stringMatching(/private or reserved address/) } });
    await closed.dispose();
    expect(await fetchWith(runner, `http://127.0.0.1:${port}/loop`)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/redirected more than 5 times/) } });
    await runner.dispose();
  });

  it("says a host that cannot be found in a person's words, Node's code after them", async () => {
    const runner = new HttpFetchRunner({ allowedDomains: ['portcullis-test.invalid'] });
    const outcome = await fetchWith(runner, 'https://portcullis-test.invalid/data.csv');
    // .invalid never resolves: ENOTFOUND, or EAI_AGAIN on a machine with no DNS at all.
    expect(outcome).toMatchObject({ ok: false, error: { message: expect.stringMatching(/^http\.fetch failed: (no such host was found|the host name could not be looked up just now).* \(getaddrinfo (ENOTFOUND|EAI_AGAIN) portcullis-test\.invalid\)$/) } });
    await runner.dispose();
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '224.0.0.1']) {
      expect(isAllowedAddress(a), a).toBe(false);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111']) expect(isAllowedAddress(a), a).toBe(true);
  });

  it('is registered in the runtime, read-only and open-world, and reaches no domain by default; a refused URL is not put to the person first', async () => {
    const gate = new RecordingGate();
    const { runtime, dataDir } = startTestRuntime({ approvalGate: gate });
    const tool = runtime.listTools().find((t) => t.name === 'http.fetch');
    expect(tool?.annotations).toMatchObject({ readOnlyHint: true, openWorldHint: true });
    const { record } = await runtime.callTool('http.fetch', { url: `http://127.0.0.1:${port}/hello` });
    expect(record).toMatchObject({ status: 'failed', decision: { effect: 'ask', ruleId: 'ask.fetch-url' }, approval: null, error: { code: 'POLICY_DENIED' } });
    const offList = await runtime.callTool('http.fetch', { url: 'https://example.com/' });
    expect(offList.record.error?.message).toBe(`http.fetch refused: example.com (from the call) is not on the http.fetch allowlist. If you trust it, add it under "Web access (http.fetch)" on the Tools & servers page (or to "allowedDomains" in ${join(dataDir, 'http-fetch.json')}).`);
    expect(gate.asked).toEqual([]);
  });
});
