import { RECOVERED_PREFIX } from '../../core/storage/salvage/lost-references';
import type { LostRange } from '../../core/storage/salvage/read-around-damage';
import { dirname } from 'node:path';
import { discardDamagedCopies } from '../../core/storage/salvage/damaged-copies';
import { salvageDatabase, type SalvageReport, type TableSalvage } from '../../core/storage/salvage/salvage-database';
import { CliUsageError, type CommandContext } from '../command';
import { shellWord } from '../shell-word';

export const dbHelp = `portcullis db salvage [--json] [--data-dir D]
  For a damaged portcullis.db (Portcullis stops at start with "The database at … is damaged"): copies every row
  SQLite can still read, table by table, into a new database at this version's schema, moves the damaged file aside
  unchanged (portcullis.db.damaged-<time>.bak) and puts the new one in its place; prints per table the rows saved and
  the rows lost. Rows on a damaged page are lost; a conversation whose own row was lost comes back named after its
  first message; audit entries lost are said by \`audit verify\`. Refused while Portcullis runs on the folder.
portcullis db discard-damaged [--json] [--data-dir D]
  Deletes the damaged file a salvage moved aside and the copy a start refused by the damage kept
  (portcullis.db.damaged-….bak, portcullis.db.corrupt-….bak, with their -wal and -shm). They still hold all the old
  database held: deleting a conversation, retention and the hiding of a secret saved later never reach them.`;

export async function dbCommand(context: CommandContext): Promise<number> {
  const [sub, ...rest] = context.positionals;
  if (sub === 'salvage' && rest.length === 0) return salvage(context);
  if (sub === 'salvage') throw new CliUsageError('db salvage takes no names: portcullis db salvage [--data-dir D].');
  if (sub === 'discard-damaged' && rest.length === 0) return discardDamaged(context);
  if (sub === 'discard-damaged') throw new CliUsageError('db discard-damaged takes no names: portcullis db discard-damaged [--data-dir D].');
  throw new CliUsageError(sub ? `Unknown db command "${sub}"; use "salvage" or "discard-damaged".` : 'Say "db salvage" or "db discard-damaged".');
}

function discardDamaged({ values, out }: CommandContext): Promise<number> {
  const { database, deleted } = discardDamagedCopies(values['data-dir']);
  if (values.json) out(JSON.stringify({ database, deleted }));
  else out(`Deleted the damaged cop${deleted.length === 1 ? 'y' : 'ies'} of ${database}: ${deleted.join(', ')}.`);
  return Promise.resolve(0);
}

function salvage({ values, out }: CommandContext): Promise<number> {
  const report = salvageDatabase(values['data-dir']);
  if (values.json) out(JSON.stringify(report));
  else if ('intact' in report) out(`The database at ${report.database} is not damaged (SQLite's quick_check finds nothing wrong): there is nothing to salvage, and nothing was changed.`);
  else for (const line of reportLines(report)) out(line);
  return Promise.resolve(0);
}

/** What a loss in these tables means for the person, beyond rows gone from the history. */
const CONSEQUENCES: Record<string, string> = {
  settings: 'Settings on the damaged page are back to their defaults: look through Settings (a stricter choice you had made may be among them).',
  policy_user_rules: '"Always allow" rules on the damaged page are gone: the calls they allowed ask again (portcullis policy rules lists those left).',
  api_keys: 'API keys on the damaged page no longer work: the scripts and clients using them are refused until you create new ones (portcullis keys create).',
  memories: 'Memories on the damaged page are gone from what the model recalls.',
};

/** The report in words: what was kept, what was lost and where, and where the damaged file is now. */
export function reportLines(report: SalvageReport): string[] {
  const lines = [
    `Saved what could be read into a new ${report.database}${report.schemaFrom < report.schemaTo ? ` (brought from schema ${report.schemaFrom} to ${report.schemaTo})` : ''}.`,
    `The damaged file was moved aside unchanged: ${report.damagedFile}`,
    ...(report.startupCopy ? [`(The copy Portcullis kept when it refused to start, ${report.startupCopy}, holds the same bytes: one of the two may go.)`] : []),
    '',
  ];
  const shown = report.tables.filter((t) => t.saved > 0 || t.lost !== 0 || t.refused > 0 || t.droppedForLostReference > 0);
  const width = Math.max(0, ...shown.map((t) => t.table.length));
  for (const table of shown) lines.push(`  ${table.table.padEnd(width)}  ${tableLine(table)}`);
  const damagedTables = report.tables.filter((t) => t.lost !== 0 || t.refused > 0);
  lines.push('');
  lines.push(damagedTables.length === 0 ? 'No row was lost.' : `Rows lost in: ${damagedTables.map((t) => t.table).join(', ')}. They are not in the new database; the damaged file still holds their bytes.`);
  for (const table of damagedTables) {
    if (table.lostByConversation.length > 0) lines.push(`${capitalized(table.table.replaceAll('_', ' '))} lost, by conversation: ${byConversation(table)}.`);
    const consequence = CONSEQUENCES[table.table];
    if (consequence) lines.push(consequence);
    const keys = table.lostKeys.map((key) => key.key).filter((key): key is string => typeof key === 'string');
    if (table.table === 'settings' && keys.length > 0) lines.push(`The settings lost: ${keys.join(', ')}.`);
  }
  if (report.recreatedConversations > 0) {
    lines.push(`${report.recreatedConversations} conversation${report.recreatedConversations === 1 ? ' whose own row was lost was' : 's whose own rows were lost were'} made again from ${report.recreatedConversations === 1 ? 'its' : 'their'} messages, titled "${RECOVERED_PREFIX}" and the start of ${report.recreatedConversations === 1 ? 'its' : 'each one\'s'} first message.`);
  }
  if (report.taintAssumed) lines.push("Which conversations read untrusted content was partly lost: every conversation is now taken as having read some (its risky calls ask first), and every tool call's result as untrusted.");
  if (report.auditEntriesLost.length > 0 || report.auditEndUnknownAfter !== null) {
    const ranges = report.auditEntriesLost.map(([from, through]) => (from === through ? `entry ${from}` : `entries ${from}–${through}`));
    const lostWords = ranges.length > 0 ? `lost ${ranges.join(', ')}` : '';
    const endWords = report.auditEndUnknownAfter === null ? '' : `${ranges.length > 0 ? ', and ' : ''}may have lost any entries after ${report.auditEndUnknownAfter} (its end, and where it was, could not be read)`;
    lines.push(`The audit log ${lostWords}${endWords}: \`portcullis audit verify\` says so (exit 1) and checks every entry left.`);
  } else {
    lines.push('The audit log lost no entry; the salvage is recorded at its end.');
  }
  if (report.notCarried.length > 0) lines.push(`Not carried over (tables this version does not know): ${report.notCarried.join(', ')}.`);
  lines.push('');
  lines.push(
    `The damaged file${report.startupCopy ? ' and its copy still hold' : ' still holds'} all the old database held, as it was: deleting a conversation, retention and the hiding of a secret you save later never reach ${report.startupCopy ? 'them' : 'it'}. Once the salvaged history is as you want it, delete ${report.startupCopy ? 'them' : 'it'}: portcullis db discard-damaged --data-dir ${shellWord(dirname(report.database))}`,
  );
  return lines;
}

const NAMED = 10;

/** "Trip to Lyon" (12), "Taxes" (3)… and 4 more conversations. */
function byConversation(table: TableSalvage): string {
  const named = table.lostByConversation.slice(0, NAMED).map((c) => `${JSON.stringify(c.title ?? c.id)} (${c.lost})`);
  const more = table.lostByConversation.length - NAMED;
  return `${named.join(', ')}${more > 0 ? ` and ${more} more conversation${more === 1 ? '' : 's'}` : ''}`;
}

function capitalized(words: string): string {
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function tableLine(table: TableSalvage): string {
  const parts = [`${table.saved} saved`];
  const whole = table.lostRanges.some((range) => range.after === null && range.through === null);
  if (whole) parts.push('every row lost (the page the table starts from is damaged; how many it had cannot be told)');
  else if (table.lost === null) parts.push(`rows lost: ${ranges(table.lostRanges)} (how many cannot be told)`);
  else if (table.lost > 0) parts.push(`${table.lost} lost (${ranges(table.lostRanges)})`);
  if (table.refused > 0) parts.push(`${table.refused} unreadable (values the damage changed)`);
  if (table.droppedForLostReference > 0) parts.push(`${table.droppedForLostReference} left out (what they belong to was lost)`);
  if (table.linksCleared > 0) parts.push(`${table.linksCleared} kept without their link to a lost row`);
  return parts.join(', ');
}

function ranges(lost: readonly LostRange[]): string {
  return lost
    .map((range) => {
      if (range.after === null) return `rowids up to ${range.through}`;
      if (range.through === null) return `rowids after ${range.after}`;
      return range.through === range.after + 1 ? `rowid ${range.through}` : `rowids ${range.after + 1}–${range.through}`;
    })
    .join(', ');
}
