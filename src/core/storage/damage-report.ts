import type { Database } from 'better-sqlite3';

/**
 * quick_check's findings in one line that says where: "its messages table cannot be read whole (page 150: …)".
 * SQLite names a damaged b-tree by its root page ("Tree 5 page 150 cell 9: …"), over many lines headed
 * "*** in database main ***"; the root page is looked up among the tables and indexes, when that still reads.
 */
export function describeDamage(db: Database, findings: readonly string[]): string {
  const lines = findings.flatMap((finding) => finding.split('\n')).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('***'));
  if (lines.length === 0) return 'quick_check found it damaged';
  const trees = new Map<number, number>(); // root page → first damaged page seen in it
  for (const line of lines) {
    const at = /Tree (\d+) page (\d+)/.exec(line);
    if (at && !trees.has(Number(at[1]))) trees.set(Number(at[1]), Number(at[2]));
  }
  const first = lines[0]!.length > 160 ? `${lines[0]!.slice(0, 157)}…` : lines[0]!;
  const more = lines.length > 1 ? ' (and more)' : ''; // quick_check stops at its first few
  const parts = [...trees].map(([root, page]) => `${partNamed(db, root)} (page ${page})`);
  if (parts.length === 0) return `SQLite: ${first}${more}`;
  return `${parts.join(', ')} cannot be read whole; SQLite: ${first}${more}`;
}

/** "the messages table", "the index messages_by_conversation of the messages table", or "the part rooted at page 9". */
function partNamed(db: Database, rootPage: number): string {
  try {
    const row = db.prepare('SELECT type, name, tbl_name FROM sqlite_schema WHERE rootpage = ?').get(rootPage) as { type: string; name: string; tbl_name: string } | undefined;
    if (row?.type === 'table') return `the ${row.name} table`;
    if (row?.type === 'index') return `the index ${row.name} of the ${row.tbl_name} table`;
  } catch {
    // The schema itself does not read: the page number is all there is.
  }
  return rootPage === 1 ? 'the list of tables' : `the part rooted at page ${rootPage}`;
}
