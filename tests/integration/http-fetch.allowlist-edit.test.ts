import Database from 'better-sqlite3';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as NodeDns from 'node:dns';
import { describe, expect, it, vi } from 'vitest';
import { INTRANET_NAME } from '../helpers/intranet-name';
import { RecordingGate } from '../helpers/recording-gate';
import { startTestRuntime } from '../helpers/test-runtime';
import { until } from '../helpers/until';

vi.mock('node:dns', async (importOriginal) => (await import('../helpers/intranet-name')).withIntranetName(await importOriginal<typeof NodeDns>()));

describe("http.fetch's allowlist edited from Tools & servers (tools.fetchDomains / tools.setFetchDomain)", () => {
  it('adds and removes a domain in http-fetch.json, on the audit chain, counted from the very next call', async () => {
    const gate = new RecordingGate();
    const { runtime, dataDir } = startTestRuntime({ approvalGate: gate });
    const file = join(dataDir, 'http-fetch.json');
    const fetchIntranet = () => runtime.callTool('http.fetch', { url: `http://${INTRANET_NAME}:8081/` });
    // The limits a person set by hand stay as they are.
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.org'], maxBytes: 5000 }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await runtime.handlers['tools.fetchDomains']({})).toEqual({ file, domains: ['example.org'], problem: null });

    const refused = await fetchIntranet();
    expect(refused.record.error?.message).toContain('add it under "Web access (http.fetch)" on the Tools & servers page');
    expect(gate.asked).toEqual([]);

    expect(await runtime.handlers['tools.setFetchDomain']({ domain: ' Intranet.Example.COM ', allowed: true })).toEqual({ done: true, problems: [] });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allowedDomains: ['example.org', INTRANET_NAME], maxBytes: 5000 });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // No wait for the file's watch: the next call is on the allowlist, so it is put to the person (and then kept
    // from the loopback address the name resolves to).
    const allowed = await fetchIntranet();
    expect(allowed.record.error?.message).toMatch(/private or reserved address, so it was not contacted/);
    expect(gate.asked.map((request) => request.toolName)).toEqual(['http.fetch']);
    // Adding it again changes nothing and records nothing.
    expect(await runtime.handlers['tools.setFetchDomain']({ domain: INTRANET_NAME, allowed: true })).toEqual({ done: true, problems: [] });

    expect(await runtime.handlers['tools.setFetchDomain']({ domain: INTRANET_NAME, allowed: false })).toEqual({ done: true, problems: [] });
    expect((await runtime.handlers['tools.fetchDomains']({})).domains).toEqual(['example.org']);
    expect((await fetchIntranet()).record.error?.message).toMatch(/not on the http\.fetch allowlist/);
    expect(await runtime.handlers['tools.setFetchDomain']({ domain: INTRANET_NAME, allowed: false })).toEqual({ done: false, problems: [`Not removed: ${INTRANET_NAME} is not on the allowlist.`] });

    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = db.prepare("SELECT kind, data_json FROM audit_log WHERE kind IN ('sandbox.granted', 'sandbox.revoked') ORDER BY seq").all() as { kind: string; data_json: string }[];
    db.close();
    expect(audited.map((row) => [row.kind, JSON.parse(row.data_json)])).toEqual([
      ['sandbox.granted', { tool: 'http.fetch', domain: 'example.org' }], // the file written by hand, above
      ['sandbox.granted', { tool: 'http.fetch', domain: INTRANET_NAME }],
      ['sandbox.revoked', { tool: 'http.fetch', domain: INTRANET_NAME }],
    ]);
    expect((await runtime.handlers['audit.verify']({})).ok).toBe(true);
  }, 30_000);

  it('refuses what is not a domain, saying what to type, and a broken file until it is fixed by hand', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const file = join(dataDir, 'http-fetch.json');
    const add = (domain: string) => runtime.handlers['tools.setFetchDomain']({ domain, allowed: true });

    expect(await add('https://example.com/data.csv')).toEqual({ done: false, problems: ['Not added: Type the domain alone: example.com, without "https://" or a path.'] });
    expect(await add('example.com/data.csv')).toEqual({ done: false, problems: ['Not added: Type the domain alone: example.com, without "https://" or a path.'] });
    expect(await add('93.184.216.34')).toEqual({ done: false, problems: ['Not added: 93.184.216.34 is an IP address; http.fetch reaches domain names only, never addresses.'] });
    expect(await add('[::1]')).toMatchObject({ done: false, problems: [expect.stringContaining('::1 is an IP address')] });
    expect(await add('example.com:8080')).toEqual({ done: false, problems: ['Not added: Type the domain alone, without a port: example.com.'] });
    expect(await add('exa_mple..com')).toEqual({ done: false, problems: ['Not added: "exa_mple..com" is not a domain like example.com or *.example.com.'] });
    // Names http.fetch never reaches, whatever the list says: no entry is let in that would let nothing through.
    const never = 'http.fetch never reaches this computer or the local network (their addresses are refused, so a page or a model cannot reach the services inside), so it would let nothing through.';
    expect(await add(' LocalHost ')).toEqual({ done: false, problems: [`Not added: localhost names this computer; ${never}`] });
    expect(await add('*.localhost')).toEqual({ done: false, problems: [`Not added: *.localhost names this computer; ${never}`] });
    expect(await add('app.localhost')).toMatchObject({ done: false, problems: [expect.stringContaining('app.localhost names this computer')] });
    expect(await add('localhost.localdomain')).toMatchObject({ done: false, problems: [expect.stringContaining('names this computer')] });
    expect(await add('printer.local')).toEqual({ done: false, problems: [`Not added: printer.local is a local-network name (.local); ${never}`] });
    expect(await add('nas.home.arpa')).toMatchObject({ done: false, problems: [expect.stringContaining('nas.home.arpa is a home-network name (.home.arpa)')] });
    expect(await add('metadata.google.internal')).toMatchObject({ done: false, problems: [expect.stringContaining('is a private-network name (.internal)')] });
    expect(await add('127.0.0.1')).toMatchObject({ done: false, problems: [expect.stringContaining('127.0.0.1 is an IP address')] });
    expect(await add('192.168.1.10')).toMatchObject({ done: false, problems: [expect.stringContaining('192.168.1.10 is an IP address')] });
    expect(await add('   ')).toEqual({ done: false, problems: ['Not added: Type a domain like example.com or *.example.com.'] });
    // Nothing refused was written.
    expect(() => readFileSync(file)).toThrow();

    expect(await add('*.example.com')).toEqual({ done: true, problems: [] });
    expect((await runtime.handlers['tools.fetchDomains']({})).domains).toEqual(['*.example.com']);

    writeFileSync(file, '{ "allowedDomains": [');
    const broken = await runtime.handlers['tools.fetchDomains']({});
    expect(broken).toMatchObject({ domains: [], problem: expect.stringContaining('is not valid JSON') });
    expect(await add('example.org')).toMatchObject({ done: false, problems: [expect.stringMatching(/^Not changed: .*http-fetch\.json is not valid JSON .*\. Fix the file first\.$/)] });
    expect(readFileSync(file, 'utf8')).toBe('{ "allowedDomains": [');
  }, 30_000);

  it('records a hand edit of http-fetch.json too, once, as the watch takes it up; a broken save records nothing', async () => {
    const { runtime, dataDir } = startTestRuntime();
    const file = join(dataDir, 'http-fetch.json');
    const db = new Database(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = () =>
      (db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'sandbox.%' ORDER BY seq").all() as { kind: string; data_json: string }[]).map((row) => [row.kind, JSON.parse(row.data_json)]);
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.org', 'example.com'] }));
    await until('the hand edit to be recorded', async () => audited(), (rows) => rows.length >= 2);
    writeFileSync(file, '{ "allowedDomains": [');
    await new Promise((resolve) => setTimeout(resolve, 700));
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.com'] }));
    await until('the fixed file to be recorded', async () => audited(), (rows) => rows.length >= 3);
    // The page's Add: recorded once, by the time it answers, and not again when the watch looks.
    expect(await runtime.handlers['tools.setFetchDomain']({ domain: 'docs.example.net', allowed: true })).toEqual({ done: true, problems: [] });
    expect(audited()).toHaveLength(4);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(audited()).toEqual([
      ['sandbox.granted', { tool: 'http.fetch', domain: 'example.org' }],
      ['sandbox.granted', { tool: 'http.fetch', domain: 'example.com' }],
      ['sandbox.revoked', { tool: 'http.fetch', domain: 'example.org' }],
      ['sandbox.granted', { tool: 'http.fetch', domain: 'docs.example.net' }],
    ]);
    db.close();
  }, 30_000);
});
