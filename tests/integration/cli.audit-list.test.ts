import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditCommand } from '../../src/cli/commands/audit';
import { AuditLog } from '../../src/core/audit/audit-log';
import { openDatabase } from '../../src/core/storage/database';
import { tempDir } from '../helpers/temp-dir';

/** A data folder whose audit log holds `count` entries, every tenth a grant. */
function folderWith(count: number): string {
  const dataDir = tempDir();
  const db = openDatabase(join(dataDir, 'portcullis.db'));
  const log = new AuditLog(db);
  for (let i = 1; i <= count; i++) log.record(i % 10 ? { kind: 'policy.decision', data: { i } } : { kind: 'sandbox.granted', data: { i } }, Date.UTC(2026, 10, 25, 9, 0) + i);
  db.close();
  return dataDir;
}

async function list(dataDir: string, ...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  expect(await auditCommand({ values: { 'data-dir': dataDir, ...(args.includes('--json') ? { json: true } : {}) }, positionals: ['list', ...args.filter((arg) => arg !== '--json')], out: (line) => void lines.push(line) })).toBe(0);
  return lines;
}

describe('portcullis audit list', () => {
  it('prints the newest 100 entries, oldest first, saying how many earlier ones it left out; a kind, those of the kind', async () => {
    const dataDir = folderWith(250);
    const all = await list(dataDir);
    expect(all[0]).toBe('(150 earlier entries not shown; --json prints them all)');
    expect(all.slice(1).map((line) => line.split('  ')[0])).toEqual(Array.from({ length: 100 }, (_, i) => `#${151 + i}`));
    expect(all[1]).toMatch(/^#151 {2}2026-11-25 09:00 UTC {2}policy\.decision {2}\{"i":151\}$/);
    const grants = await list(dataDir, 'sandbox');
    expect(grants).toHaveLength(25);
    expect(grants.every((line) => line.includes('sandbox.granted'))).toBe(true);
    expect(JSON.parse((await list(dataDir, '--json'))[0]!).entries).toHaveLength(250);
    expect(await list(tempDir())).toEqual(['The audit log is empty.']);
  });
});
