import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { callHost, type Host, startHost, stopHost } from '../helpers/headless-host';
import { cliBin } from '../helpers/paths';
import { startTestRuntime } from '../helpers/test-runtime';
import { tempDir } from '../helpers/temp-dir';
import { until } from '../helpers/until';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [cliBin, ...args]);
    return { code: 0, stdout: stdout.trim(), stderr: stderr.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout.trim(), stderr: failed.stderr.trim() };
  }
}

describe("portcullis web: http.fetch's allowlist from a terminal, as Tools & servers → Web access edits it", () => {
  it('lists, allows and removes a domain in http-fetch.json, on the audit chain, the rest of the file kept', async () => {
    const dataDir = join(tempDir(), 'data');
    const file = join(dataDir, 'http-fetch.json');
    // Listing reads only: not even the data folder is made.
    expect(await cli(['web', 'list', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'http.fetch may reach no domain. Add one: portcullis web allow example.com.' });
    expect(existsSync(dataDir)).toBe(false);

    expect(await cli(['web', 'allow', ' Example.COM ', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'Added example.com: http.fetch may reach it from the next call.' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), maxBytes: 5000 }));
    expect(await cli(['web', 'allow', '*.docs.example.org', '--data-dir', dataDir])).toMatchObject({ code: 0 });
    expect(await cli(['web', 'allow', 'example.com', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'example.com was already allowed; nothing changed.' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allowedDomains: ['example.com', '*.docs.example.org'], maxBytes: 5000 });
    expect(await cli(['web', 'list', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'example.com\n*.docs.example.org' });
    expect(JSON.parse((await cli(['web', 'list', '--json', '--data-dir', dataDir])).stdout)).toEqual({ file, domains: ['example.com', '*.docs.example.org'], problem: null });

    expect(await cli(['web', 'remove', 'example.com', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'Removed example.com: http.fetch no longer reaches it.' });
    expect(await cli(['web', 'remove', 'example.com', '--data-dir', dataDir, '--json'])).toMatchObject({ code: 1, stdout: JSON.stringify({ done: false, problems: ['Not removed: example.com is not on the allowlist.'] }) });

    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
    const audited = db.prepare("SELECT kind, data_json FROM audit_log WHERE kind IN ('sandbox.granted', 'sandbox.revoked') ORDER BY seq").all() as { kind: string; data_json: string }[];
    db.close();
    expect(audited.map((row) => [row.kind, JSON.parse(row.data_json)])).toEqual([
      ['sandbox.granted', { tool: 'http.fetch', domain: 'example.com' }],
      ['sandbox.granted', { tool: 'http.fetch', domain: '*.docs.example.org' }],
      ['sandbox.revoked', { tool: 'http.fetch', domain: 'example.com' }],
    ]);
    expect((await cli(['audit', 'verify', '--data-dir', dataDir])).stdout).toMatch(/intact/);
  }, 60_000);

  it('says what to type for a URL, a missing domain or an unknown action, and leaves a broken file for the person to fix', async () => {
    const dataDir = tempDir();
    expect(await cli(['web', 'allow', 'https://example.com/data.csv', '--data-dir', dataDir])).toMatchObject({ code: 1, stdout: 'Not added: Type the domain alone: example.com, without "https://" or a path.' });
    const missing = await cli(['web', 'allow', '--data-dir', dataDir]);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/^Name one domain: portcullis web allow example\.com\.\n\nportcullis web list/) });
    expect((await cli(['web', 'open', '--data-dir', dataDir])).stderr).toMatch(/^Unknown web command "open"; use "list", "allow" or "remove"\./);
    expect(await cli(['web', '--help'])).toMatchObject({ code: 0, stdout: expect.stringContaining('portcullis web allow DOMAIN') });

    const file = join(dataDir, 'http-fetch.json');
    // Names http.fetch never reaches: refused, saying why, as an address is.
    expect(await cli(['web', 'allow', 'localhost', '--data-dir', dataDir])).toMatchObject({ code: 1, stdout: expect.stringMatching(/^Not added: localhost names this computer; http\.fetch never reaches this computer or the local network \(.*\), so it would let nothing through\.$/) });
    expect(await cli(['web', 'allow', '::1', '--data-dir', dataDir])).toMatchObject({ code: 1, stdout: 'Not added: ::1 is an IP address; http.fetch reaches domain names only, never addresses.' });
    expect(existsSync(file)).toBe(false);
    // Written by hand: the rest is listed, the entry left out is named after it, and can be taken out.
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.com', 'localhost', '10.0.0.2'] }));
    const leftOut = await cli(['web', 'list', '--data-dir', dataDir]);
    expect(leftOut).toMatchObject({ code: 0, stdout: expect.stringMatching(/^example\.com\n\S*http-fetch\.json: "localhost" in allowedDomains is left out: localhost names this computer; .* "10\.0\.0\.2" in allowedDomains is left out: 10\.0\.0\.2 is an IP address; .* Take them out of the file\.$/) });
    expect(await cli(['web', 'remove', 'localhost', '--data-dir', dataDir])).toMatchObject({ code: 0 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ allowedDomains: ['example.com', '10.0.0.2'] });

    writeFileSync(file, '{"allowedDomains": ["example.com",');
    const listed = await cli(['web', 'list', '--data-dir', dataDir]);
    expect(listed).toMatchObject({ code: 1, stdout: expect.stringContaining('http-fetch.json') });
    expect((await cli(['web', 'allow', 'example.org', '--data-dir', dataDir])).stdout).toMatch(/^Not changed: .*Fix the file first\.$/);
    expect(readFileSync(file, 'utf8')).toBe('{"allowedDomains": ["example.com",');
  }, 60_000);

  let host: Host | undefined;
  afterEach(() => stopHost(host));

  it('beside a running Portcullis: the change counts there, and is recorded once (by it, as it takes the file up)', async () => {
    const dataDir = tempDir();
    host = await startHost(dataDir);
    expect(await cli(['web', 'allow', 'example.com', '--data-dir', dataDir])).toMatchObject({ code: 0 });
    expect((await callHost<{ domains: string[] }>(host, 'tools.fetchDomains')).domains).toEqual(['example.com']);
    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
    const granted = () => db.prepare("SELECT data_json FROM audit_log WHERE kind = 'sandbox.granted'").pluck().all() as string[];
    // Recorded by the running app, as its watch takes the file up (the command leaves it to it).
    await until('the grant to be recorded', async () => granted(), (rows) => rows.length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(granted().map((data) => JSON.parse(data))).toEqual([{ tool: 'http.fetch', domain: 'example.com' }]);
    db.close();
  }, 60_000);

  it('with no Portcullis running: records a hand edit made before it too, and the next start does not record either again', async () => {
    const dataDir = tempDir();
    const file = join(dataDir, 'http-fetch.json');
    expect(await cli(['web', 'allow', 'example.com', '--data-dir', dataDir])).toMatchObject({ code: 0 });
    writeFileSync(file, JSON.stringify({ allowedDomains: ['example.com', 'evil.example.net'] }));
    expect(await cli(['web', 'remove', 'example.com', '--data-dir', dataDir])).toMatchObject({
      code: 0,
      stderr: 'portcullis: While Portcullis was not running, http-fetch.json was changed: http.fetch may reach evil.example.net. If you did not make this change, undo it on Tools & servers. It is in the audit log: Tools & servers → Grant history, or "portcullis audit list sandbox".',
    });
    const granted = (): unknown[] => {
      const db = new BetterSqlite3(join(dataDir, 'portcullis.db'), { readonly: true });
      const rows = db.prepare("SELECT kind, data_json FROM audit_log WHERE kind LIKE 'sandbox.%' ORDER BY seq").all() as { kind: string; data_json: string }[];
      db.close();
      return rows.map((row) => [row.kind, JSON.parse(row.data_json)]);
    };
    const recorded = [
      ['sandbox.granted', { tool: 'http.fetch', domain: 'example.com' }],
      ['sandbox.granted', { tool: 'http.fetch', domain: 'evil.example.net', while: 'Portcullis was not running' }],
      ['sandbox.revoked', { tool: 'http.fetch', domain: 'example.com' }],
    ];
    expect(granted()).toEqual(recorded);
    const { runtime } = startTestRuntime({ dataDir });
    await runtime.dispose();
    expect(granted()).toEqual(recorded);
    // As the person reads them, the newest last.
    const listed = await cli(['audit', 'list', 'sandbox', '--data-dir', dataDir]);
    expect(listed.stdout.split('\n').map((line) => line.replace(/ {2}\d{4}-\d\d-\d\d \d\d:\d\d UTC {2}/, '  <time>  '))).toEqual([
      '#1  <time>  sandbox.granted  {"tool":"http.fetch","domain":"example.com"}',
      '#2  <time>  sandbox.granted  {"tool":"http.fetch","domain":"evil.example.net","while":"Portcullis was not running"}',
      '#3  <time>  sandbox.revoked  {"tool":"http.fetch","domain":"example.com"}',
    ]);
    expect(await cli(['audit', 'list', 'api_key', '--data-dir', dataDir])).toMatchObject({ code: 0, stdout: 'No audit entry of a kind starting with "api_key".' });
    expect(JSON.parse((await cli(['audit', 'list', 'sandbox', '--json', '--data-dir', dataDir])).stdout).entries).toHaveLength(3);
  }, 60_000);
});
