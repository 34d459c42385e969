import { execFile } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { mcpBin, writeMcpConfig } from '../helpers/mcp';
import { runCli } from '../helpers/cli-process';
import { cliBin, repoRoot } from '../helpers/paths';
import { tempDir } from '../helpers/temp-dir';

const exec = promisify(execFile);

async function cli(args: string[]): Promise<{ code: number; stdout: string }> {
  try {
    const { stdout } = await exec(process.execPath, [cliBin, ...args]);
    return { code: 0, stdout: stdout.trim() };
  } catch (error) {
    const failed = error as { code: number; stdout: string };
    return { code: failed.code, stdout: failed.stdout.trim() };
  }
}

describe('portcullis policy and audit', () => {
  it('policy check accepts the shipped default and names the line of a mistake', async () => {
    expect(await cli(['policy', 'check', join(repoRoot, 'resources', 'policy.default.yaml')])).toMatchObject({ code: 0 });
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'version: 1\nrules:\n  - id: ok\n    effect: allow\n    reason: fine\n    match: { tool: "fs.*", args: { path: { within: 3 } } }\n');
    const result = await cli(['policy', 'check', bad, '--json']);
    expect(result.code).toBe(1);
    const output = JSON.parse(result.stdout) as { ok: boolean; errors: string[] };
    expect(output.ok).toBe(false);
    expect(output.errors[0]).toMatch(/bad\.yaml:6:\d+: at rules\.0\.match\.args\.path\.within/);

    // A regex copied from another tool, opening with (?i), is valid; a flag group further in names its line.
    const copied = join(tempDir(), 'copied.yaml');
    writeFileSync(copied, 'version: 1\nrules:\n  - id: deny.pw\n    effect: deny\n    reason: r\n    match: { args: { command: { regex: "(?i)password" } } }\n');
    expect(await cli(['policy', 'check', copied])).toEqual({ code: 0, stdout: `${copied} is a valid policy with 1 rule.` });
    writeFileSync(copied, 'version: 1\nrules:\n  - id: deny.pw\n    effect: deny\n    reason: r\n    match: { args: { command: { regex: "pass(?i)word" } } }\n');
    const misplaced = await cli(['policy', 'check', copied]);
    expect(misplaced.code).toBe(1);
    expect(misplaced.stdout).toMatch(/copied\.yaml:6:\d+: at rules\.0\.match\.args\.command\.regex .*works only at the very start/);
  });

  it('policy explain prints the decision, the rule and the reason as JSON', async () => {
    const dataDir = tempDir();
    const denied = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', '{"path":"../../etc/passwd","content":"x"}', '--json']);
    expect(JSON.parse(denied.stdout)).toMatchObject({ decision: { effect: 'deny', ruleId: 'deny.outside-workspace' } });
    const read = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.read', '--args', '{"path":"a.md"}', '--json']);
    expect(JSON.parse(read.stdout)).toMatchObject({ decision: { effect: 'allow', ruleId: 'default.read-only' } });
    writeFileSync(join(dataDir, 'policy.yaml'), 'version: 1\nrules:\n  - { id: allow.notes, effect: allow, reason: notes, match: { tool: fs.write, args: { path: { within: ["${workspace}/notes"] } } } }\n');
    const allowed = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', '{"path":"notes/a.md","content":"x"}', '--json']);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ decision: { effect: 'allow', ruleId: 'allow.notes' } });
    const tainted = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', '{"path":"notes/a.md","content":"x"}', '--tainted', '--json']);
    expect(JSON.parse(tainted.stdout)).toMatchObject({ decision: { effect: 'ask', ruleId: 'taint.override' } });
    // In words, an allow says what a conversation that read untrusted content meets instead (a script's call there asks).
    const words = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', '{"path":"notes/a.md","content":"x"}']);
    expect(words.stdout.split('\n')).toEqual([
      'ALLOW by allow.notes: notes',
      "In a conversation that read untrusted content (a web page, an MCP server's output): ASK by taint.override (--tainted shows why).",
      expect.stringMatching(/^tool fs\.write /),
    ]);
    const usage = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'fs.write', '--args', 'not json']);
    expect(usage.code).toBe(2);
  }, 60_000); // five CLI processes, each starting the app (seconds each on a busy machine)

  it("policy explain judges an MCP server's tool (and the other built-ins) as the app does, not as one declaring nothing", async () => {
    const dataDir = tempDir();
    writeMcpConfig(dataDir, { everything: { command: mcpBin('everything') }, loose: { command: mcpBin('everything'), sandbox: false } });
    const read = JSON.parse((await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'everything.echo', '--args', '{"message":"x"}', '--json'])).stdout);
    expect(read).toMatchObject({ known: true, classes: ['read-only'], decision: { effect: 'allow', ruleId: 'default.read-only' } });
    const unsandboxed = JSON.parse((await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'loose.echo', '--args', '{"message":"x"}', '--json'])).stdout);
    expect(unsandboxed).toMatchObject({ decision: { effect: 'ask', ruleId: 'default.unsandboxed-server' } });
    const memory = JSON.parse((await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'memory.search', '--args', '{"query":"x"}', '--json'])).stdout);
    expect(memory).toMatchObject({ known: true, decision: { effect: 'allow' } });
    const words = await cli(['policy', 'explain', '--data-dir', dataDir, '--tool', 'everything.echo', '--args', '{"message":"x"}']);
    expect(words.stdout).toContain('tool everything.echo (as it declares itself; read-only)');
  }, 30_000);

  it('policy explain says a --confidence or --args it cannot use in the option\'s words (exit 2), not its schema\'s', async () => {
    const first = async (...args: string[]) => {
      const { code, stderr } = await runCli('policy', 'explain', '--data-dir', tempDir(), '--tool', 'fs.read', ...args);
      return { code, said: stderr.split('\n')[0] };
    };
    expect(await first('--confidence', 'abc')).toEqual({ code: 2, said: '--confidence takes a number from 0 to 1, as `portcullis route` prints it, not "abc".' });
    expect(await first('--confidence', '1.5')).toEqual({ code: 2, said: '--confidence takes a number from 0 to 1, as `portcullis route` prints it, not "1.5".' });
    expect(await first('--args', '[1]')).toEqual({ code: 2, said: '--args must be a JSON object, e.g. \'{"path":"notes/a.md"}\', not [1].' });
  }, 30_000);

  it('policy revoke of an id that is no rule says where the ids are', async () => {
    expect(await cli(['policy', 'revoke', 'user.fs.write.nope', '--data-dir', tempDir()])).toEqual({ code: 1, stdout: 'No active rule user.fs.write.nope: `portcullis policy rules` lists their ids.' });
  });

  it('audit verify says intact, then finds an edited and a deleted entry', async () => {
    const dataDir = tempDir();
    await cli(['chat', '--json', '--data-dir', dataDir, 'write a.txt with hi']);
    await cli(['chat', '--json', '--data-dir', dataDir, 'list the files']);
    expect((await cli(['audit', 'verify', '--data-dir', dataDir])).stdout).toMatch(/intact: [4-9]\d* entries|intact: \d{2,} entries/);
    const db = new BetterSqlite3(join(dataDir, 'portcullis.db'));
    const { seq } = db.prepare(`SELECT min(seq) AS seq FROM audit_log WHERE kind = 'policy.decision' AND data_json LIKE '%"ask"%'`).get() as { seq: number };
    expect(seq).toBeGreaterThan(0);
    db.prepare(`UPDATE audit_log SET data_json = replace(data_json, '"ask"', '"allow"') WHERE seq = ?`).run(seq);
    db.close();
    const edited = await cli(['audit', 'verify', '--data-dir', dataDir, '--json']);
    expect(edited.code).toBe(1);
    expect(JSON.parse(edited.stdout)).toMatchObject({ ok: false, seq });

    const other = tempDir();
    await cli(['chat', '--json', '--data-dir', other, 'write a.txt with hi']);
    const db2 = new BetterSqlite3(join(other, 'portcullis.db'));
    db2.prepare('DELETE FROM audit_log WHERE seq = 2').run();
    db2.close();
    const deleted = await cli(['audit', 'verify', '--data-dir', other]);
    expect(deleted.code).toBe(1);
    expect(deleted.stdout).toMatch(/tampered with at entry 2: entry 2 is missing/);

    // No database at all (a mistyped --data-dir, or portcullis.db removed whole) is not an intact log, and none is made.
    rmSync(join(other, 'portcullis.db'));
    const removed = await cli(['audit', 'verify', '--data-dir', other]);
    expect(removed).toEqual({ code: 1, stdout: `Nothing was verified: there is no audit log in ${other}: no Portcullis has stored anything there, or its database (portcullis.db) was removed. Is --data-dir the folder you meant?` });
    const mistyped = join(tempDir(), 'typo');
    expect(JSON.parse((await cli(['audit', 'verify', '--json', '--data-dir', mistyped])).stdout)).toMatchObject({ ok: false, entries: 0 });
    expect(existsSync(mistyped)).toBe(false);
  }, 60_000); // six CLI processes, each starting the app (seconds each on a busy machine)
});
