/**
 * Reading a few entries of some kinds from a long audit log, with the index by kind (migration 26) against the same
 * log without it (the index dropped from a copy):
 * - Tools & servers' grant history: the newest 50 `sandbox.*` entries (`AuditLog.newest`);
 * - `portcullis audit list sandbox`: every `sandbox*` entry (`entriesOfKind`, against what the command did before:
 *   every entry read and parsed, then filtered);
 * - `portcullis audit list` without a kind: the newest 100 (`latest`), against every entry read;
 * - a verify's look for `audit.masked` declarations (`declaredMasks`' statement);
 * - and what it costs: recording a policy decision (left out of the index) and a grant.
 * The log: LARGE entries, 70% policy decisions, 30% approvals and taint, 1 in 1,000 a grant.
 * Usage: tsx bench/audit-kind.bench.ts [--entries N]
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AuditLog } from '../src/core/audit/audit-log';
import { INDEXED_KINDS } from '../src/core/audit/indexed-kinds';
import { openDatabase } from '../src/core/storage/database';
import { compare, report } from './harness';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' } } });
const LARGE = Number(values.entries);
const dir = mkdtempSync(join(tmpdir(), 'portcullis-bench-audit-'));

/**
 * What a log of tool calls holds, in turn: mostly policy decisions (one per call), some approvals and taint (not in
 * the index's exclusion, so the index holds 30% of the log); every 1,000th entry a grant or its revocation.
 */
const EVERYDAY = [...Array<string>(7).fill('policy.decision'), 'taint.added', 'approval.requested', 'approval.decided'];

function fill(file: string): void {
  const db = openDatabase(file);
  const insert = db.prepare('INSERT INTO audit_log (seq, at, kind, conversation_id, tool_call_id, data_json, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.pragma('synchronous = OFF'); // generation only
  db.transaction(() => {
    for (let seq = 1; seq <= LARGE; seq++) {
      const grant = seq % 1_000 === 0;
      const kind = grant ? (seq % 2_000 === 0 ? 'sandbox.revoked' : 'sandbox.granted') : EVERYDAY[seq % EVERYDAY.length]!;
      const data = grant ? { server: `server${seq % 7}`, folder: `/home/me/project${seq}` } : { tool: 'fs.write', effect: 'ask', ruleId: 'default.mutating', reason: 'fs.write can change things, so it asks you first.', tainted: false, principal: 'desktop:app' };
      insert.run(seq, seq, kind, `c${seq % 500}`, `tc${seq}`, JSON.stringify(data), 'x'.repeat(64), 'y'.repeat(64));
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function main(): Promise<void> {
  const indexedFile = join(dir, 'indexed.db');
  fill(indexedFile);
  const plainFile = join(dir, 'plain.db');
  copyFileSync(indexedFile, plainFile);
  const indexed = openDatabase(indexedFile);
  const plain = openDatabase(plainFile);
  plain.exec('DROP INDEX audit_log_by_kind');
  if (process.env.BENCH_AA) indexed.exec('DROP INDEX audit_log_by_kind'); // A/A: how much the two files differ alone
  const [withIndex, without] = [new AuditLog(indexed), new AuditLog(plain)];
  const grants = withIndex.entriesOfKind('sandbox').length;
  if (grants !== without.entries().filter((entry) => entry.kind.startsWith('sandbox')).length || grants === 0) throw new Error('the two logs differ');
  const masked = `SELECT seq, data_json FROM audit_log WHERE kind = ? AND ${INDEXED_KINDS} ORDER BY seq`;
  const comparisons = [
    await compare('grant history: newest 50 sandbox.* entries', () => withIndex.newest(['sandbox.granted', 'sandbox.revoked'], 50), () => without.newest(['sandbox.granted', 'sandbox.revoked'], 50), { iterations: 200, goal: '≪ 1×' }),
    await compare(`audit list sandbox (${grants} entries)`, () => withIndex.entriesOfKind('sandbox'), () => without.entries().filter((entry) => entry.kind.startsWith('sandbox')), { iterations: 20, goal: '≪ 1×' }),
    await compare('audit list sandbox, the same range query without the index', () => withIndex.entriesOfKind('sandbox'), () => without.entriesOfKind('sandbox'), { iterations: 20, goal: '≪ 1×' }),
    await compare('audit list, no kind: the newest 100', () => withIndex.latest(100), () => withIndex.entries().slice(-100), { iterations: 20 }),
    await compare("verify's audit.masked declarations", () => indexed.prepare(masked).all('audit.masked'), () => plain.prepare(masked).all('audit.masked'), { iterations: 200, goal: '≪ 1×' }),
    // What the index costs: a policy decision (one per tool call) is not in it; a grant writes one more page.
    await compare('record a grant', () => withIndex.record({ kind: 'sandbox.granted', data: { server: 'files' } }), () => without.record({ kind: 'sandbox.granted', data: { server: 'files' } }), { iterations: 1_000, interleave: 'call' }),
    await compare('record a policy decision (each its own fsynced commit)', () => withIndex.record({ kind: 'policy.decision', data: { tool: 'fs.read' } }), () => without.record({ kind: 'policy.decision', data: { tool: 'fs.read' } }), { iterations: 1_000, interleave: 'call', goal: '≈ 1×' }),
  ];
  report(`Audit log entries by kind, ${LARGE.toLocaleString('en')} entries`, comparisons);
  indexed.close();
  plain.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
