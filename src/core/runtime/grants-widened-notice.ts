import type { AuditEntry } from '../audit/audit-log';
import type { RuntimeNotice } from '../../shared/domain/runtime-notice';

/** How many grants the notice names before it counts the rest: the audit log has them all. */
const NAMED = 5;

/**
 * A grant found at start in words: what it lets whom do, and to what ("the server "files" may reach", "api.example.com"),
 * so grants of one kind to one server read as one phrase; null for one taken back.
 */
function grantInWords(entry: AuditEntry): { lets: string; what: string | null } | null {
  if (entry.kind !== 'sandbox.granted') return null;
  const data = entry.data as { server?: string; tool?: string; added?: boolean; domain?: string; folder?: string; sandbox?: boolean; trustedOutput?: boolean };
  const who = data.server !== undefined ? `the server "${data.server}"` : (data.tool ?? 'a tool');
  if (data.added) return { lets: `${who} was added`, what: null };
  if (data.sandbox === false) return { lets: `${who} runs without its sandbox`, what: null };
  if (data.trustedOutput) return { lets: `the output of ${who} counts as trusted`, what: null };
  if (data.domain) return { lets: `${who} may reach`, what: data.domain };
  if (data.folder) return { lets: `${who} may write to`, what: data.folder };
  return null;
}

/** The grants as phrases, one per kind of grant to one server, in the order first seen. */
function phrases(grants: ReadonlyArray<{ lets: string; what: string | null }>): string[] {
  const byLets = new Map<string, string[]>();
  for (const { lets, what } of grants) byLets.set(lets, [...(byLets.get(lets) ?? []), ...(what ? [what] : [])]);
  return [...byLets].map(([lets, whats]) => (whats.length > 0 ? `${lets} ${inWords(whats)}` : lets));
}

function inWords(phrases: readonly string[]): string {
  return phrases.length < 2 ? (phrases[0] ?? '') : `${phrases.slice(0, -1).join(', ')} and ${phrases.at(-1)}`;
}

/**
 * What the person is told when a grant file was changed to grant more while no Portcullis ran (the person with the
 * app closed, or a program behind their back): what it grants now, where to undo it, and that it is on the audit
 * chain. Null when nothing was granted (a grant taken back while closed is recorded, not announced).
 */
export function grantsWidenedNotice(changed: ReadonlyArray<{ file: string; entries: readonly AuditEntry[] }>): RuntimeNotice | null {
  let named = 0;
  let more = 0;
  const files: string[] = [];
  for (const { file, entries } of changed) {
    const grants = entries.map(grantInWords).filter((words) => words !== null);
    if (grants.length === 0) continue;
    const shown = grants.slice(0, Math.max(0, NAMED - named));
    named += shown.length;
    more += grants.length - shown.length;
    files.push(shown.length > 0 ? `${file} was changed: ${inWords(phrases(shown))}` : `${file} was changed`);
  }
  if (files.length === 0) return null;
  const rest = more > 0 ? ` (and ${more} more grant${more === 1 ? '' : 's'})` : '';
  const one = named + more === 1;
  return {
    kind: 'grants-widened-while-closed',
    message: `While Portcullis was not running, ${files.join('; ')}${rest}. If you did not make ${one ? 'this change' : 'these changes'}, undo ${one ? 'it' : 'them'} on Tools & servers. ${one ? 'It is' : 'Each is'} recorded in the audit log ("portcullis audit list sandbox" shows ${one ? 'it' : 'them'}).`,
  };
}
